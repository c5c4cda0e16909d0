"""ip5graph: an RDF knowledge graph of the IP5 patent-office co-operation, with a query interface.

Importing the package is cheap (no rdflib, networkx or pyvis): the command line's query path
depends on it.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # importing typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence
    from pathlib import Path

    from ip5graph.kg.graph import KnowledgeGraph


def open(  # noqa: A001 - the package's entry point reads best as ip5graph.open()
    data: Sequence[Path | str] | None = None,
    engine: str = "oxigraph",
    cache_dir: Path | str | None = None,
    store: str = "memory",
) -> KnowledgeGraph:
    """The bundled graph (or the ontology plus the Turtle under `data`) on the given engine.

    `store="cached"` keeps a persistent Oxigraph store in the cache directory; see
    ip5graph.kg.graph.open, which this calls (imported here on first use: the import stays cheap)."""
    from ip5graph.kg.graph import open as open_graph

    return open_graph(data, engine, cache_dir, store)


__all__ = ["__version__", "open"]
