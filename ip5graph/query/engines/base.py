"""The one interface every query engine offers (Oxigraph, rdflib, a remote endpoint).

Both local engines take a query already passed by safety.check_safe, with typed bindings, and
return a results.Result of pyoxigraph terms; the remote engine sends the same query over HTTP.
Only imported for type checking: the engines do not inherit from it (typing costs milliseconds
on the cold query path).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ip5graph.query.parameters import Prepared
from ip5graph.query.results import Result


class Engine(Protocol):
    """Runs prepared queries and looks up display labels."""

    name: str

    def run(self, prepared: Prepared, *, with_labels: bool = True) -> Result:
        """The answer to one prepared query; with_labels: carrying its IRIs' display labels."""
        ...

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """rdfs:label of each IRI that has one (English first)."""
        ...
