"""The default engine: Oxigraph (pyoxigraph), over the cached on-disk store or one in memory."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.results import Result, labelled
from ip5graph.rdf.namespaces import RDFS_LABEL
from ip5graph.rdf.terms import pick_label

_LABEL = ox.NamedNode(RDFS_LABEL)


class OxigraphEngine:
    """Queries a pyoxigraph Store (the read-only cached store, or one in memory)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def run(self, prepared: parameters.Prepared, *, with_labels: bool = True) -> Result:
        """The answer; `with_labels`: it carries its IRIs' display labels (looked up now, not while printing)."""
        result = self._run(prepared)
        return labelled(result, self.labels) if with_labels else result

    def _run(self, prepared: parameters.Prepared) -> Result:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in prepared.bindings.items()
        }
        # a query that names a graph (FROM, GRAPH) sees the loaded triples as the default graph
        default_graph = ox.DefaultGraph() if safety.names_loaded_graph(prepared.text) else None
        try:
            answer = self.store.query(prepared.text, substitutions=subs or None, default_graph=default_graph)
            return self._result(answer, prepared.form)
        except SyntaxError as e:
            raise _oxigraph_syntax(prepared, e) from None
        except (OSError, RuntimeError, ValueError) as e:
            if "SELECT projection" in str(e):
                raise _oxigraph_syntax(prepared, e) from None
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None

    def _result(self, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, form: str) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [tuple(sol[i] for i in range(len(variables))) for sol in answer]
            return Result("SELECT", variables, rows)
        triples = list(answer)  # QueryTriples
        return Result(form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", triples=triples)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        out = {}
        for iri in iris:
            found = [
                (q.object.value, q.object.language or "")
                for q in self.store.quads_for_pattern(ox.NamedNode(iri), _LABEL, None, None)
                if isinstance(q.object, ox.Literal)
            ]
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
        return UsageError(
            f"parameter '{m.group(1)}' must be a variable of the query's SELECT clause "
            "(bound parameters are selected too)"
        )
    m = re.match(r"error at (\d+):(\d+): (.*)", msg, re.S)
    if m:
        return safety.syntax_error(prepared.source, m.group(3), int(m.group(1)), int(m.group(2)))
    return safety.syntax_error(prepared.source, msg, None, None)
