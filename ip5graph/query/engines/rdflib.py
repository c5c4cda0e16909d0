"""The second engine: rdflib, slower but an independent implementation to cross-check Oxigraph.

rdflib itself is imported only when a query runs, never on the default query path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ip5graph.errors import QueryError, UnsafeQueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.limits import Budget
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

    def run(self, prepared: parameters.Prepared, budget: Budget | None = None, *, with_labels: bool = True) -> Result:
        """The answer, within the budget; `with_labels`: it carries its IRIs' display labels."""
        if budget is not None and budget.hard:
            raise UsageError(
                f"{prepared.source}: a hard deadline needs the oxigraph engine (it ends a worker process over "
                'the on-disk store; rdflib has none): open the graph with engine="oxigraph", store="cached"'
            )
        result = self._run(prepared, budget or Budget(source=prepared.source))
        return labelled(result, self.labels) if with_labels else result

    def _run(self, prepared: parameters.Prepared, budget: Budget) -> Result:
        import rdflib.plugins.sparql as rsparql
        from pyparsing import ParseException

        from ip5graph.rdf.terms import to_rdflib

        rsparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph from the web
        from ip5graph.kg.load import quiet_ill_typed

        quiet_ill_typed()
        try:
            query = rsparql.prepareQuery(prepared.text)
        except ParseException as e:
            raise safety.syntax_error(prepared.source, e.msg, e.lineno, e.col) from None
        except RecursionError:
            raise safety.syntax_error(prepared.source, "nested too deeply for the rdflib engine", None, None) from None
        except Exception as e:  # rdflib raises plain Exceptions for some semantic errors
            raise safety.syntax_error(prepared.source, str(e), None, None) from None
        _refuse_fetching(query.algebra, prepared.source)
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
            return self._answer(query, init, prepared, budget)
        except (QueryError, UsageError):
            raise
        except RecursionError:
            raise QueryError(f"{prepared.source}: query failed: nested too deeply for the rdflib engine") from None
        except Exception as e:  # rdflib evaluates lazily: errors (a bad REGEX) come while reading rows
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None

    def _answer(
        self, query: object, init: Mapping[str, object], prepared: parameters.Prepared, budget: Budget
    ) -> Result:
        from ip5graph.rdf.terms import from_rdflib

        answer = self.graph.query(query, initBindings=init)  # type: ignore[arg-type]
        if answer.type == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            assert answer.graph is not None
            triples = [_triple(s, p, o) for s, p, o in budget.guard(answer.graph)]
            return Result(answer.type, triples=triples)
        names = [str(v) for v in answer.vars or []]
        variables = _order_like_query(names, prepared.text)
        index = {v: i for i, v in enumerate(names)}
        rows = [tuple(from_rdflib(row[index[v]]) for v in variables) for row in budget.guard(answer)]  # type: ignore[index]
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


def _refuse_fetching(algebra: object, source: str) -> None:
    """Second line of defence, on rdflib's own parse: no SERVICE anywhere, no dataset but the loaded graph.

    safety.check already refused these in the text; this makes the engine's reading agree or stop.
    """
    stack = [algebra]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise UnsafeQueryError(f"{source}: refused: SERVICE would call a remote endpoint")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    for clause in getattr(algebra, "get", lambda _k: None)("datasetClause") or []:
        graph = str(getattr(clause, "default", None) or getattr(clause, "named", None) or "")
        if getattr(clause, "named", None) is not None or graph != safety.LOADED_GRAPH:
            raise UnsafeQueryError(f"{source}: refused: FROM {graph} is not the loaded graph")


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
