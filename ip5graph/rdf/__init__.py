"""RDF basics: namespaces and prefixes, terms, canonical Turtle."""
