"""Node positions for the views, computed here with a fixed seed so the same graph gives the same
picture and the browser never runs physics: spring layout below 300 nodes, a linear community
layout above.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Mapping

import networkx as nx

from ip5graph.network.analytics import communities_of_simple, simple_graph

SPRING_MAX = 300
# -- layout -----------------------------------------------------------------------------------


def layout(g: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Positions in screen pixels: spring layout on small graphs, community packing on large.

    `nx.spring_layout` is quadratic (3 s at 1k nodes, 127 s at 10k), so it is used only up to
    SPRING_MAX nodes; above that each community is a sunflower spiral around its best-connected
    node, and the communities are packed in rows: O(n) after the community detection.
    """
    n = len(g)
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if n <= SPRING_MAX:
        try:
            import numpy  # noqa: F401  (spring_layout needs it)
        except ImportError:
            return community_layout(g, seed=seed)
        return _spring_by_component(simple_graph(g), seed)
    return community_layout(g, seed=seed)


def _spring(s: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    n = len(s)
    if n == 1:
        return {next(iter(s)): (0.0, 0.0)}
    pos = nx.spring_layout(s, seed=seed, iterations=100, k=2.0 / math.sqrt(n))
    scale = 90.0 * math.sqrt(n) + 60.0
    return {v: (float(pos[v][0]) * scale, float(pos[v][1]) * scale) for v in sorted(pos)}


def _sorted_subgraph(s: nx.Graph, nodes: list[str]) -> nx.Graph:
    """A copy with nodes and edges in sorted order. (nx subgraph views may iterate a set, whose
    order changes with PYTHONHASHSEED, and spring_layout's start positions follow node order.)"""
    keep = set(nodes)
    sub = nx.Graph()
    sub.add_nodes_from(sorted(keep))
    sub.add_edges_from(sorted((u, v) for u in sorted(keep) for v in s.adj[u] if v in keep and u < v))
    return sub


def _spring_by_component(s: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of the largest component; the smaller ones (and lone nodes) in rows below it,
    instead of being pushed to the far edge by repulsion with nothing pulling them back."""
    parts = sorted((sorted(c) for c in nx.connected_components(s)), key=lambda c: (-len(c), c[0]))
    pos = _spring(_sorted_subgraph(s, parts[0]), seed)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    left, right, y = min(xs), max(max(xs), min(xs) + 400.0), max(ys) + 2 * SPACING
    x, row_height = left, 0.0
    for part in parts[1:]:
        sub = _spring(_sorted_subgraph(s, part), seed)
        sx, sy = [p[0] for p in sub.values()], [p[1] for p in sub.values()]
        w, h = max(sx) - min(sx) + 2 * SPACING, max(sy) - min(sy) + 2 * SPACING
        if x > left and x + w > right:
            x, y, row_height = left, y + row_height, 0.0
        for v, (px, py) in sub.items():
            pos[v] = (x + SPACING + px - min(sx), y + SPACING + py - min(sy))
        x += w
        row_height = max(row_height, h)
    return {v: pos[v] for v in sorted(pos)}


GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
SPACING = 38.0


def community_layout(g: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Each community a sunflower (hub in the middle, BFS order outwards), packed in rows."""
    rng = random.Random(seed)
    simple = simple_graph(g)
    adj = {v: sorted(simple.adj[v]) for v in simple}
    groups = communities_of_simple(simple, seed=seed)
    discs = []
    for members in groups:
        order = _bfs_order(members, adj)
        radius = SPACING * math.sqrt(len(order) + 0.5) + SPACING
        discs.append((radius, order))
    total_area = sum((2 * r) ** 2 for r, _ in discs)
    row_width = max(math.sqrt(total_area) * 1.1, 2 * discs[0][0])
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for radius, order in discs:
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + radius, y + radius
        for i, v in enumerate(order):
            r = SPACING * math.sqrt(i + 0.5) if i else 0.0
            theta = i * GOLDEN_ANGLE + rng.uniform(-0.15, 0.15)
            pos[v] = (cx + r * math.cos(theta), cy + r * math.sin(theta))
        x += 2 * radius
        row_height = max(row_height, 2 * radius)
    cx, cy = row_width / 2, (y + row_height) / 2
    return {v: (px - cx, py - cy) for v, (px, py) in sorted(pos.items())}


def _bfs_order(members: list[str], adj: Mapping[str, list[str]]) -> list[str]:
    inside = set(members)
    start = min(members, key=lambda v: (-len(adj[v]), v))  # the best-connected, ties by IRI
    order, seen = [], {start}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in adj[v]:
            if w in inside and w not in seen:
                seen.add(w)
                queue.append(w)
    order.extend(v for v in members if v not in seen)  # unreachable inside the community
    return order
