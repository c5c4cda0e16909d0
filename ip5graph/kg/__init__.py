"""The knowledge graph: input files, the cached store, loading, validation, export, statistics and the API class."""
