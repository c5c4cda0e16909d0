"""The two query engines behind one interface: Oxigraph (default) and rdflib (cross-check).

Both take a query already passed by safety.check_safe, with typed bindings, and return a
results.Result of pyoxigraph terms. rdflib is imported only by RdflibEngine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.results import Result
from ip5graph.rdf.namespaces import RDFS_LABEL

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import rdflib

_LABEL = ox.NamedNode(RDFS_LABEL)


def pick_label(literals: Iterable[tuple[str, str]]) -> str | None:
    """English first, then no language, then any other (sorted, so the choice is stable)."""
    best: tuple[int, str, str] | None = None
    for value, lang in literals:
        rank = 0 if lang == "en" else 1 if lang.startswith("en-") else 2 if not lang else 3
        cand = (rank, lang, value)
        if best is None or cand < best:
            best = cand
    return best[2] if best else None


class OxigraphEngine:
    """Queries a pyoxigraph Store (the read-only cached store, or one in memory)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def run(self, prepared: parameters.Prepared) -> Result:
        subs = {ox.Variable(k): v for k, v in prepared.bindings.items()}
        kwargs: dict[str, object] = {}
        if safety.names_loaded_graph(prepared.text):
            kwargs["default_graph"] = ox.DefaultGraph()
        try:
            answer = self.store.query(prepared.text, substitutions=subs or None, **kwargs)
            return self._result(answer, prepared.form)
        except SyntaxError as e:
            raise _oxigraph_syntax(prepared, e) from None
        except (OSError, RuntimeError, ValueError) as e:
            if "SELECT projection" in str(e):
                raise _oxigraph_syntax(prepared, e) from None
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None

    def _result(self, answer: object, form: str) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer), labeller=self.labels)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [tuple(sol[i] for i in range(len(variables))) for sol in answer]
            return Result("SELECT", variables, rows, labeller=self.labels)
        triples = list(answer)  # QueryTriples
        return Result(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT",
                      triples=triples, labeller=self.labels)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        out = {}
        for iri in iris:
            found = [(q.object.value, q.object.language or "")
                     for q in self.store.quads_for_pattern(ox.NamedNode(iri), _LABEL, None, None)
                     if isinstance(q.object, ox.Literal)]
            label = pick_label(found)
            if label is not None:
                out[iri] = label
        return out

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store.quads_for_pattern(None, None, None, None))


def _oxigraph_syntax(prepared: parameters.Prepared, err: Exception) -> QueryError | UsageError:
    msg = str(err)
    m = re.search(r"variable \?(\w+) in its SELECT projection", msg)
    if m:
        return UsageError(f"parameter '{m.group(1)}' must be a variable of the query's SELECT clause "
                          "(bound parameters are selected too)")
    m = re.match(r"error at (\d+):(\d+): (.*)", msg, re.S)
    if m:
        return safety.syntax_error(prepared.source, m.group(3), int(m.group(1)), int(m.group(2)))
    return safety.syntax_error(prepared.source, msg, None, None)


class RdflibEngine:
    """Queries an in-memory rdflib Graph: slower, but a second, independent implementation."""

    name = "rdflib"

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def run(self, prepared: parameters.Prepared) -> Result:
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
                    raise UsageError(f"parameter '{k}' must be a variable of the query's SELECT clause "
                                     "(bound parameters are selected too)")
        init = {k: to_rdflib(v) for k, v in prepared.bindings.items()}
        try:
            answer = self.graph.query(query, initBindings=init)
        except Exception as e:
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None
        if answer.type == "ASK":
            return Result("ASK", boolean=bool(answer.askAnswer), labeller=self.labels)
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            triples = [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in answer.graph]
            return Result(answer.type, triples=triples, labeller=self.labels)
        variables = _order_like_query([str(v) for v in answer.vars], prepared.text)
        index = {str(v): i for i, v in enumerate(answer.vars)}
        rows = [tuple(from_rdflib(row[index[v]]) for v in variables) for row in answer]
        return Result("SELECT", variables, rows, labeller=self.labels)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        from rdflib import URIRef

        out = {}
        for iri in iris:
            found = [(str(o), o.language or "") for o in self.graph.objects(URIRef(iri), URIRef(RDFS_LABEL))
                     if hasattr(o, "language")]
            label = pick_label(found)
            if label is not None:
                out[iri] = label
        return out


def _order_like_query(variables: list[str], text: str) -> list[str]:
    """rdflib's SELECT * order is arbitrary: use the order of first appearance, as Oxigraph does."""
    if not re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", text, re.I):
        return variables
    order = {v: i for i, v in enumerate(safety.query_variables(text))}
    return sorted(variables, key=lambda v: order.get(v, len(order)))
