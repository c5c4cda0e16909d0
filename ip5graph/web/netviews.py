"""What the graph commands do, between the CLI and network/views: pick the graph a view shows
(whole, a neighbourhood, a query's result), explain paths, rank entities, export the network.

Library code: raises Ip5GraphError subclasses with one-line messages, never prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.errors import UsageError
from ip5graph.files import atomic_write_bytes
from ip5graph.network import projection as network
from ip5graph.rdf.namespaces import PREFIXES


@dataclass
class Loaded:
    """The projected network of a KnowledgeGraph, with the store it came from (for queries)."""

    graph: nx.MultiDiGraph
    store: Any


def load(kg: Any, *, keep_nary: bool = False) -> Loaded:
    """Project the whole graph (ontology + data) of a KnowledgeGraph."""
    from ip5graph.kg.store import load_memory

    store = load_memory(kg.inputs)
    return Loaded(network.project(store, keep_nary=keep_nary), store)


def find(g: nx.MultiDiGraph, name: str) -> str:
    """A node by IRI, prefixed name, kind/slug, slug or label; a UsageError when it is not one."""
    node = network.resolve_quiet(g, name)
    if node is not None:
        return node
    try:
        return network.resolve(g, name)
    except network.EntityNotFound as e:
        raise UsageError(str(e.args[0]) + " (give a slug such as office/jpo, or a label)") from None


@dataclass
class View:
    """The graph one page shows, its title and the node it is about (if any)."""

    graph: nx.MultiDiGraph
    title: str
    focus: str | None = None


def whole(loaded: Loaded) -> View:
    g = loaded.graph
    return View(g, "IP5 knowledge graph: everything")


def around(loaded: Loaded, name: str, depth: int = 1) -> View:
    """The neighbourhood of one entity."""
    if depth < 0:
        raise UsageError("--depth must be 0 or more")
    node = find(loaded.graph, name)
    sub = network.neighbourhood(loaded.graph, node, depth)
    label = loaded.graph.nodes[node]["label"]
    return View(sub, f"{label}: neighbourhood of depth {depth}", node)


def from_query(loaded: Loaded, target: str, params: dict[str, object] | None = None) -> View:
    """A named query, .rq file or SPARQL text, as a graph: CONSTRUCT triples or SELECT IRIs."""
    from ip5graph.query import sparql
    from ip5graph.query.engines.local import OxigraphEngine

    prepared = sparql.resolve(target, params or {})
    result = OxigraphEngine(loaded.store).run(prepared)
    name = Path(target).stem if target.endswith(".rq") else target
    return View(result_graph(loaded.graph, result), f"Query {name} as a graph")


def result_graph(g: nx.MultiDiGraph, result: Any) -> nx.MultiDiGraph:
    """What a query Result shows as a graph: CONSTRUCT/DESCRIBE its triples, SELECT the entities
    its rows name and the links among them (ASK: nothing). One rule for views, site and tests."""
    if result.is_graph:
        return network.construct_graph(g, result.triples)
    return network.select_graph(g, (t.value for row in result.rows for t in row
                                     if type(t).__name__ == "NamedNode"))


def write_view(view: View, path: str | os.PathLike[str], *, lang: str = "en", seed: int = 0) -> None:
    """The view as one self-contained HTML file (vis-network inlined), written atomically."""
    from ip5graph.web import render as views

    views.write_html(view.graph, path, title=view.title, focus=view.focus, lang=lang, seed=seed)


def path_between(loaded: Loaded, a: str, b: str) -> tuple[list[network.Step] | None, str]:
    """The shortest connection and its sentence ('' when a and b are the same entity)."""
    g = loaded.graph
    na, nb = find(g, a), find(g, b)
    steps = network.shortest_path(g, na, nb)
    if steps is None:
        return None, ""
    return steps, network.explain(g, steps)


def central(kg: Any, n: int = 10, *, seed: int = 0) -> Any:
    """The n most central entities as a query-style Result (so `stats` prints it in any format)."""
    import pyoxigraph as ox

    from ip5graph.query.results import Result

    integer, decimal = (ox.NamedNode(PREFIXES["xsd"] + name) for name in ("integer", "decimal"))
    loaded = load(kg)
    rows = []
    for rank, e in enumerate(network.top_entities(loaded.graph, n, seed=seed), start=1):
        rows.append((
            ox.Literal(str(rank), datatype=integer),
            ox.NamedNode(e["iri"]),
            ox.Literal(e["label"]),
            ox.Literal(e["class"]),
            ox.Literal(f"{e['betweenness']:.4f}", datatype=decimal),
            ox.Literal(f"{e['degree']:.4f}", datatype=decimal),
        ))
    return Result("SELECT", ["rank", "entity", "label", "class", "betweenness", "degree"], rows)


def export_network(kg: Any, fmt: str, output: str | os.PathLike[str] | None) -> dict[str, bytes]:
    """GraphML/GEXF/CSV of the network with the whole-graph view's positions.

    Returns file name -> bytes; with `output` the files are written (atomically): a file for
    graphml/gexf, a folder holding nodes.csv and edges.csv for csv.
    """
    from ip5graph.network import export as graph_export
    from ip5graph.web import render as views

    if fmt == "csv" and output is None:
        raise UsageError("--format csv writes two files (nodes.csv, edges.csv): give -o FOLDER")
    loaded = load(kg)
    network.annotate_centrality(loaded.graph)
    files = graph_export.export_graph(loaded.graph, fmt, views.layout(loaded.graph))
    if output is not None:
        out = Path(output)
        if fmt == "csv":
            if out.exists() and not out.is_dir():
                raise UsageError(f"{out}: exists and is not a folder (csv writes nodes.csv and edges.csv into it)")
            out.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                atomic_write_bytes(out / name, data)
        else:
            atomic_write_bytes(out, next(iter(files.values())))
    return files
