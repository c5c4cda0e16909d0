"""The Python API: `ip5graph.open()` returns a KnowledgeGraph to query and convert.

>>> import ip5graph
>>> kg = ip5graph.open()
>>> result = kg.query("04-office-heads", office="office:jpo")
>>> result.variables, result.rows[0]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ip5graph.errors import UsageError
from ip5graph.kg.inputs import Inputs
from ip5graph.query import parameters
from ip5graph.query.results import Result

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    import rdflib

    from ip5graph.network.lookup import Entities
    from ip5graph.network.projection import Loaded
    from ip5graph.query.engines.base import Engine
    from ip5graph.query.limits import Budget

ENGINES = ("oxigraph", "rdflib")
# Where the Oxigraph engine keeps the graph. "memory": loaded afresh into memory, the fastest to
# query (an on-disk store answers whole-graph queries about 3x slower); the default, for processes
# that run many queries (notebooks, `ip5graph build`). "cached": the persistent store in the cache
# directory, rebuilt only when the files change, opened in ~10 ms at any size; for one-shot
# processes such as `ip5graph query` and for `ip5graph serve`.
STORES = ("memory", "cached")


class KnowledgeGraph:
    """The ontology plus graph data, queried through one engine (opened on first use).

    It owns the one copy of the triples (the engine's store) and the one network projection of
    them (network()): views, the site, stats and exports take this object instead of loading the
    files again, so `--engine` holds for them too and nothing is loaded twice.
    """

    def __init__(
        self, inputs: Inputs, engine: str = "oxigraph", cache_dir: Path | None = None, store: str = "memory"
    ) -> None:
        if engine not in ENGINES:
            raise UsageError(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
        if store not in STORES:
            raise UsageError(f"unknown store '{store}'; use one of {', '.join(STORES)}")
        self.inputs = inputs
        self.engine_name = engine
        self.store_kind = store
        self.cache_dir = cache_dir
        self._engine: Engine | None = None
        self._store: ox.Store | None = None
        self._rdflib: rdflib.Graph | None = None
        self._networks: dict[bool, Loaded] = {}
        self._entities: Entities | None = None  # name lookup's entries (find_entity), made once

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.engine_name == "rdflib":
                from ip5graph.query.engines.rdflib import RdflibEngine

                self._engine = RdflibEngine(self.to_rdflib())
            else:
                from ip5graph.kg.load import load_memory
                from ip5graph.kg.store import open_cached
                from ip5graph.query.engines.oxigraph import OxigraphEngine

                path = None  # the on-disk store's directory: hard deadlines run a worker over it
                if self.store_kind == "memory":
                    store = load_memory(self.inputs)
                else:
                    try:
                        store, path = open_cached(self.inputs, self.cache_dir)
                    except OSError:
                        # no usable cache directory (read-only home, full disk): work in memory
                        store = load_memory(self.inputs)
                self._store = store
                self._engine = OxigraphEngine(store, path)
        return self._engine

    def query(self, name_or_sparql: str, **params: object) -> Result:
        """Run a named query (02-heads-meetings), a .rq file or SPARQL text, with parameters."""
        return self.run(parameters.resolve(name_or_sparql, params, names=self.find_entity))

    def run(self, prepared: parameters.Prepared, budget: Budget | None = None, *, with_labels: bool = True) -> Result:
        """Run an already prepared query (see parameters.resolve), within the budget's limits (default:
        query.limits.QUERY_TIMEOUT between rows and MAX_ROWS rows; Budget(hard=True): a worker
        process killed at the deadline, which needs store="cached"); with_labels: the result carries
        the display labels of its IRIs (tables show them)."""
        return self.engine.run(prepared, budget, with_labels=with_labels)

    def triples(self) -> list[ox.Triple]:
        """Every triple of the graph (default graph), from the engine's own copy."""
        self.engine  # noqa: B018 - opens the store or the rdflib graph
        if self._store is not None:
            from ip5graph.kg.export import triples_of

            return triples_of(self._store)
        from ip5graph.query.engines.rdflib import triples_of_graph

        return triples_of_graph(self.to_rdflib())

    def network(self, *, keep_nary: bool = False) -> Loaded:
        """The projected network of this graph (made once, then shared: treat it as read-only)."""
        if keep_nary not in self._networks:
            from ip5graph.network.projection import Loaded, project

            self.engine  # noqa: B018 - opens the store or the rdflib graph
            source = self._store if self._store is not None else self.to_rdflib()
            self._networks[keep_nary] = Loaded(project(source, keep_nary=keep_nary), self)
        return self._networks[keep_nary]

    def find_entity(self, name: str) -> str:
        """The IRI of an entity named by label (any language), alternative spelling or slug, as
        `view --focus` finds it; a UsageError with a "did you mean" list when it is not one.

        Read from the network when it is already projected, else from the store's type and label
        triples (network.lookup.of_store: same answers, without networkx or projecting the graph)."""
        from ip5graph.network import lookup

        if self._entities is None:
            if False in self._networks:
                self._entities = lookup.of_network(self._networks[False].graph)
            else:
                self.engine  # noqa: B018 - opens the store or the rdflib graph
                self._entities = lookup.of_store(self._store if self._store is not None else self.to_rdflib())
        return lookup.find(self._entities, name)

    def to_rdflib(self) -> rdflib.Graph:
        """The whole graph as an rdflib Graph (loaded once, then cached on this object)."""
        if self._rdflib is None:
            from ip5graph.kg.load import load_rdflib

            self._rdflib = load_rdflib(self.inputs)
        return self._rdflib


def open(  # noqa: A001 - the package's entry point reads best as ip5graph.open()
    data: Sequence[Path | str] | None = None,
    engine: str = "oxigraph",
    cache_dir: Path | str | None = None,
    store: str = "memory",
) -> KnowledgeGraph:
    """The bundled graph (or the ontology plus the Turtle under `data`) on the given engine.

    `store="cached"` keeps a persistent Oxigraph store in the cache directory (see STORES)."""
    return KnowledgeGraph(Inputs.default(data), engine, Path(cache_dir) if cache_dir else None, store)
