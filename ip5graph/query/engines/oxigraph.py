"""The default engine: Oxigraph (pyoxigraph), over the cached on-disk store or one in memory."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.limits import Budget
from ip5graph.query.results import Result, labelled
from ip5graph.rdf.namespaces import RDFS_LABEL
from ip5graph.rdf.terms import pick_label

_LABEL = ox.NamedNode(RDFS_LABEL)


class OxigraphEngine:
    """Queries a pyoxigraph Store (the read-only cached store, or one in memory)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        # the on-disk store's directory, when there is one: hard budgets run a worker over it
        self.path = path

    def run(self, prepared: parameters.Prepared, budget: Budget | None = None, *, with_labels: bool = True) -> Result:
        """The answer, within the budget; `with_labels`: it carries its IRIs' display labels."""
        budget = budget or Budget(source=prepared.source)
        if budget.hard:
            if self.path is None:
                raise UsageError(
                    f"{prepared.source}: a hard deadline runs the query in a worker process over the on-disk "
                    'store, and this graph is in memory: open it with ip5graph.open(store="cached")'
                )
            from ip5graph.query import isolated  # only here: nothing new on the cold query path

            result = isolated.run(self.path, prepared, budget)
        else:
            result = self._run(prepared, budget)
        return labelled(result, self.labels) if with_labels else result

    def _run(self, prepared: parameters.Prepared, budget: Budget) -> Result:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in prepared.bindings.items()
        }
        # a query that names a graph (FROM, GRAPH) sees the loaded triples as the default graph
        default_graph = ox.DefaultGraph() if safety.names_loaded_graph(prepared.text) else None
        try:
            answer = self.store.query(prepared.text, substitutions=subs or None, default_graph=default_graph)
            return self._result(answer, prepared.form, budget)
        except SyntaxError as e:
            raise _oxigraph_syntax(prepared, e) from None
        except (OSError, RuntimeError, ValueError) as e:
            if "SELECT projection" in str(e):
                raise _oxigraph_syntax(prepared, e) from None
            raise QueryError(f"{prepared.source}: query failed: {' '.join(str(e).split())}") from None

    def _result(
        self, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, form: str, budget: Budget
    ) -> Result:
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [tuple(sol[i] for i in range(len(variables))) for sol in budget.guard(answer)]
            return Result("SELECT", variables, rows)
        triples: list[ox.Triple] = budget.collect(answer)  # QueryTriples
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
