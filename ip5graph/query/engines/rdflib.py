"""The second engine: rdflib, slower but an independent implementation to cross-check Oxigraph.

rdflib itself is imported only when a query runs, never on the default query path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.results import Result, labelled
from ip5graph.rdf.namespaces import RDFS_LABEL
from ip5graph.rdf.terms import pick_label

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import rdflib


class RdflibEngine:
    """Queries an in-memory rdflib Graph: slower, but a second, independent implementation."""

    name = "rdflib"

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def run(self, prepared: parameters.Prepared, *, with_labels: bool = True) -> Result:
        """The answer; `with_labels`: it carries its IRIs' display labels (looked up now, not while printing)."""
        result = self._run(prepared)
        return labelled(result, self.labels) if with_labels else result

    def _run(self, prepared: parameters.Prepared) -> Result:
        import rdflib.plugins.sparql as rsparql
        from pyparsing import ParseException

        from ip5graph.rdf.terms import from_rdflib, to_rdflib

        rsparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph from the web
        try:
            query = rsparql.prepareQuery(prepared.text)
        except ParseException as e:
            raise safety.syntax_error(prepared.source, e.msg, e.lineno, e.col) from None
        except Exception as e:  # rdflib raises plain Exceptions for some semantic errors
            raise safety.syntax_error(prepared.source, str(e), None, None) from None
        if safety.names_loaded_graph(prepared.text):
            query.algebra["datasetClause"] = None
        projected = [str(v) for v in (query.algebra.get("PV") or [])]
        if query.algebra.name == "SelectQuery":
            for k in prepared.bindings:
                if k not in projected:
                    raise UsageError(
                        f"parameter '{k}' must be a variable of the query's SELECT clause "
                        "(bound parameters are selected too)"
                    )
        init = {k: t for k, v in prepared.bindings.items() if (t := to_rdflib(v)) is not None}
        try:
            answer = self.graph.query(query, initBindings=init)
        except Exception as e:
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None
        if answer.type == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            assert answer.graph is not None
            triples = [_triple(s, p, o) for s, p, o in answer.graph]
            return Result(answer.type, triples=triples)
        names = [str(v) for v in answer.vars or []]
        variables = _order_like_query(names, prepared.text)
        index = {v: i for i, v in enumerate(names)}
        rows = [tuple(from_rdflib(row[index[v]]) for v in variables) for row in answer]  # type: ignore[index]
        return Result("SELECT", variables, rows)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        from rdflib import URIRef

        out = {}
        for iri in iris:
            found = [
                (str(o), o.language or "")
                for o in self.graph.objects(URIRef(iri), URIRef(RDFS_LABEL))
                if hasattr(o, "language")
            ]
            label = pick_label(found)
            if label is not None:
                out[iri] = label
        return out


def triples_of_graph(graph: rdflib.Graph) -> list[ox.Triple]:
    """The triples of an rdflib Graph as pyoxigraph triples (the one term model)."""
    return [_triple(s, p, o) for s, p, o in graph]


def _triple(s: object, p: object, o: object) -> ox.Triple:
    from ip5graph.rdf.terms import from_rdflib

    subject, predicate, obj = from_rdflib(s), from_rdflib(p), from_rdflib(o)
    if not isinstance(subject, (ox.NamedNode, ox.BlankNode)) or not isinstance(predicate, ox.NamedNode) or obj is None:
        raise QueryError(f"the query built something that is not an RDF triple: {s} {p} {o}")
    return ox.Triple(subject, predicate, obj)


def _order_like_query(variables: list[str], text: str) -> list[str]:
    """rdflib's SELECT * order is arbitrary: use the order of first appearance, as Oxigraph does."""
    if not re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", text, re.I):
        return variables
    order = {v: i for i, v in enumerate(safety.query_variables(text))}
    return sorted(variables, key=lambda v: order.get(v, len(order)))
