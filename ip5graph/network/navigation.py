"""Finding one's way in the projected network: look entities up by name, take neighbourhoods and
subgraphs, turn a query's answer into a graph, and walk edges in a stable order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from ip5graph.network import lookup
from ip5graph.network.lookup import EntityNotFound as EntityNotFound  # re-exported: callers of resolve catch it
from ip5graph.network.lookup import all_labels as all_labels  # re-exported: the workbench's search index
from ip5graph.network.projection import project
from ip5graph.network.vocabulary import slug_of

# -- helpers on the projected graph ---------------------------------------------------------


def sources_of(g: nx.MultiDiGraph, keys: Iterable[str]) -> list[dict[str, str]]:
    """The source records (id, label, tier, address) behind a node's or edge's 'sources'."""
    table = g.graph.get("sources", {})
    return [table.get(k, {"iri": k, "id": slug_of(k), "label": k, "tier": "", "address": ""}) for k in keys]


def resolve(g: nx.MultiDiGraph, name: str) -> str:
    """Find a node by IRI, 'kind/slug', slug, or label in any language (case-insensitive): the rules
    of network.lookup over the network's nodes. Ambiguous names raise with the candidates listed."""
    return lookup.resolve(lookup.of_network(g), name)


def resolve_quiet(g: nx.MultiDiGraph, name: str) -> str | None:
    """resolve(), also taking prefixed names (meeting:heads-2021), or None instead of an error."""
    return lookup.resolve_quiet(lookup.of_network(g), name)


def neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph of nodes within `depth` hops of `focus`, ignoring edge direction."""
    seen = {focus: 0}
    queue = deque([focus])
    while queue:
        n = queue.popleft()
        if seen[n] >= depth:
            continue
        for m in neighbours(g, n):
            if m not in seen:
                seen[m] = seen[n] + 1
                queue.append(m)
    return induced(g, seen)


def neighbours(g: nx.MultiDiGraph, n: str) -> list[str]:
    return sorted(set(g.successors(n)) | set(g.predecessors(n)))


def induced(g: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """A sorted copy of the subgraph on `keep` (nodes and edges in a stable order)."""
    keep_set = set(keep)
    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n in sorted(keep_set):
        sub.add_node(n, **g.nodes[n])
    for n in sorted(keep_set):
        for v, keys in sorted(g.adj[n].items()):
            if v in keep_set:
                for k, attrs in sorted(keys.items()):
                    sub.add_edge(n, v, key=k, **attrs)
    return sub


# -- queries as graphs ---------------------------------------------------------------------


def record_endpoints(g: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """Collapsed record IRI (tenure, participation) -> the two nodes its edge joins."""
    found: dict[str, tuple[str, str]] = {}
    for u, v, _, attrs in iter_edges_sorted(g):
        iri = attrs.get("iri")
        if iri and iri not in found:
            found[iri] = (u, v)
    return found


def select_graph(g: nx.MultiDiGraph, iris: Iterable[str]) -> nx.MultiDiGraph:
    """The entities a SELECT result names and the edges among them (records map to their ends)."""
    ends = record_endpoints(g)
    keep: set[str] = set()
    for iri in iris:
        if iri in g:
            keep.add(iri)
        elif iri in ends:
            keep.update(ends[iri])
    return induced(g, keep)


def construct_graph(g: nx.MultiDiGraph, triples: Iterable[Any]) -> nx.MultiDiGraph:
    """A CONSTRUCT result's own triples, projected; entities keep their full-graph details."""
    sub = project(list(triples), keep_nary=g.graph.get("keep_nary", False), vocabulary=g.graph.get("vocabulary"))
    for n in sub:
        if n in g:
            sub.nodes[n].update(g.nodes[n])
    sub.graph["sources"] = {**g.graph.get("sources", {}), **sub.graph.get("sources", {})}
    return sub


def iter_edges_sorted(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Edges in (source, target, key) order: every writer uses this for stable output."""
    for u in sorted(g.adj):
        for v, keys in sorted(g.adj[u].items()):
            for k, attrs in sorted(keys.items()):
                yield u, v, k, attrs


def find(g: nx.MultiDiGraph, name: str) -> str:
    """A node by IRI, prefixed name, kind/slug, slug or label; a UsageError when it is not one."""
    return lookup.find(lookup.of_network(g), name)


def result_graph(g: nx.MultiDiGraph, result: Any) -> nx.MultiDiGraph:
    """What a query Result shows as a graph: CONSTRUCT/DESCRIBE its triples, SELECT the entities
    its rows name and the links among them (ASK: nothing). One rule for views, site and tests."""
    if result.is_graph:
        return construct_graph(g, result.triples)
    return select_graph(g, (t.value for row in result.rows for t in row if type(t).__name__ == "NamedNode"))
