"""Paths in words: the shortest connection between two entities, said as a sentence."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx

from ip5graph.network.navigation import EntityNotFound, find, neighbours
from ip5graph.network.projection import Loaded
from ip5graph.network.vocabulary import PHRASES, ROLE_EDGES, humanize

# -- paths ----------------------------------------------------------------------------------


@dataclass
class Step:
    """One hop of a path: from a node to the next over one edge, read in the path's direction."""

    source: str
    target: str
    key: str
    forward: bool  # True when the edge points source -> target
    attrs: dict[str, Any]


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> list[Step] | None:
    """A shortest connection between two nodes, ignoring direction; None when there is none.

    Breadth-first with neighbours in sorted order, so ties always break the same way.
    """
    if a not in g or b not in g:
        raise EntityNotFound(f"not in the graph: {a if a not in g else b}")
    if a == b:
        return []
    parent: dict[str, str] = {a: a}
    queue = deque([a])
    while queue and b not in parent:
        n = queue.popleft()
        for m in neighbours(g, n):
            if m not in parent:
                parent[m] = n
                queue.append(m)
    if b not in parent:
        return None
    chain = [b]
    while chain[-1] != a:
        chain.append(parent[chain[-1]])
    chain.reverse()
    return [_step(g, u, v) for u, v in pairwise(chain)]


def _step(g: nx.MultiDiGraph, u: str, v: str) -> Step:
    if g.has_edge(u, v):
        key = min(g[u][v])
        return Step(u, v, key, True, g[u][v][key])
    key = min(g[v][u])
    return Step(u, v, key, False, g[v][u][key])


def base_key(key: str) -> str:
    """'headed-acting-2' -> 'headed-acting': drop the suffix that tells parallel records apart."""
    return re.sub(r"-\d+$", "", key)


def phrase(step: Step) -> str:
    """The verb phrase of one hop ('chaired {}', 'was hosted by'); '{}' marks the other end."""
    key = base_key(step.key)
    label = step.attrs.get("label", humanize(key))
    role = step.attrs.get("role_key")
    if role in ROLE_EDGES:
        fwd, back = ROLE_EDGES[role][1:]
    elif key in PHRASES:
        fwd, back = PHRASES[key]
    elif label.endswith(" by"):
        fwd, back = "was " + label, label[:-3]
    else:
        fwd, back = label, f"is the {label} of"
    return fwd if step.forward else back


def explain(g: nx.MultiDiGraph, steps: list[Step]) -> str:
    """The path in words: 'A chaired B, which was hosted by C'."""
    if not steps:
        return ""

    def clause(step: Step) -> str:
        words = phrase(step)
        target = g.nodes[step.target]["label"]
        return words.replace("{}", target) if "{}" in words else f"{words} {target}"

    first = steps[0]
    parts = [f"{g.nodes[first.source]['label']} {clause(first)}"]
    parts.extend(f"which {clause(step)}" for step in steps[1:])
    return ", ".join(parts)


def path_between(loaded: Loaded, a: str, b: str) -> tuple[list[Step] | None, str]:
    """The shortest connection and its sentence ('' when a and b are the same entity)."""
    g = loaded.graph
    na, nb = find(g, a), find(g, b)
    steps = shortest_path(g, na, nb)
    if steps is None:
        return None, ""
    return steps, explain(g, steps)
