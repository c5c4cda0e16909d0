"""The graph one page shows: the whole network, the neighbourhood of an entity, or a query's answer,
and writing it as a page.

Library code: raises Ip5GraphError subclasses with one-line messages, never prints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ip5graph.errors import UsageError
from ip5graph.network.navigation import find, neighbourhood, result_graph
from ip5graph.network.projection import Loaded


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
    sub = neighbourhood(loaded.graph, node, depth)
    label = loaded.graph.nodes[node]["label"]
    return View(sub, f"{label}: neighbourhood of depth {depth}", node)


def from_query(loaded: Loaded, target: str, params: Mapping[str, object] | None = None) -> View:
    """A named query, .rq file or SPARQL text, as a graph: CONSTRUCT triples or SELECT IRIs."""
    from ip5graph.query import parameters

    prepared = parameters.resolve(target, params or {})
    result = loaded.kg.run(prepared, with_labels=False)
    name = Path(target).stem if target.endswith(".rq") else target
    return View(result_graph(loaded.graph, result), f"Query {name} as a graph")


def write_view(view: View, path: str | os.PathLike[str], *, lang: str = "en", seed: int = 0) -> None:
    """The view as one self-contained HTML file (vis-network inlined), written atomically."""
    from ip5graph.web.render import write_html

    write_html(view.graph, path, title=view.title, focus=view.focus, lang=lang, seed=seed)
