"""ip5graph: an RDF knowledge graph of the IP5 patent-office co-operation, with a query interface.

Importing the package is cheap (no rdflib, networkx or pyvis): the command line's query path
depends on it. `ip5graph.open` is `ip5graph.kg.graph.open`, imported on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

TYPE_CHECKING = False  # importing typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.kg.graph import open  # noqa: A004 - the package's entry point reads best as ip5graph.open()


def __getattr__(name: str) -> object:
    if name == "open":
        from ip5graph.kg.graph import open

        return open
    raise AttributeError(f"module 'ip5graph' has no attribute {name!r}")


__all__ = ["__version__", "open"]
