"""ip5graph: an RDF knowledge graph of the IP5 patent-office co-operation, with a query interface.

Importing the package is cheap (no rdflib, networkx or pyvis): the command line's query path
depends on it.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # importing typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.kg.graph import KnowledgeGraph


def open(*args: object, **kwargs: object) -> KnowledgeGraph:  # noqa: A001
    """Open the graph: see ip5graph.kg.graph.open (data=None, engine="oxigraph", cache_dir=None)."""
    from ip5graph.kg.graph import open as _open

    return _open(*args, **kwargs)


__all__ = ["__version__", "open"]
