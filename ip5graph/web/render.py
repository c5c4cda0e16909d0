"""networkx graph -> one self-contained HTML page drawn by vis-network, with the project's template.

Why not pyvis's own template or `from_nx`: `from_nx` is quadratic (9 s at 10k nodes), its template
links Bootstrap from a CDN in every mode and inserts text unescaped (research/anchors.md §3). We
use pyvis only for the vis-network 9.1.2 file it ships, inlined into the page (or, for a site,
written once next to the pages). All data goes into a JSON island with `<`, `>` and `&` escaped,
and the page script puts it on screen with textContent only.

Positions are computed here, with a fixed seed, so the same graph gives byte-identical HTML and
the browser never runs physics: spring layout below 300 nodes, a linear community layout above.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
import os
import random
import re
from collections import deque
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.errors import Ip5GraphError
from ip5graph.files import atomic_write_text
from ip5graph.network import projection as network
from ip5graph.rdf.namespaces import IP5

TEMPLATES = Path(__file__).with_name("templates")
VIS_RELATIVE = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")
SPRING_MAX = 300
LANG_ORDER = ("en", "ja", "zh", "ko")

# class -> (colour, vis shape); the legend shows them in this order.
CLASS_STYLE: dict[str, tuple[str, str]] = {
    IP5 + "HeadsMeeting": ("#d62728", "diamond"),
    IP5 + "HeadsIndustryMeeting": ("#ff7f0e", "diamond"),
    IP5 + "DeputyHeadsMeeting": ("#e377c2", "diamond"),
    IP5 + "Meeting": ("#bcbd22", "diamond"),
    IP5 + "PatentOffice": ("#1f77b4", "square"),
    IP5 + "InternationalOrganization": ("#17becf", "square"),
    IP5 + "IndustryAssociation": ("#9467bd", "square"),
    IP5 + "Forum": ("#2ca02c", "hexagon"),
    IP5 + "WorkingGroup": ("#98df8a", "hexagon"),
    network.PERSON: ("#8c564b", "dot"),
    IP5 + "Initiative": ("#e7ba52", "triangle"),
    IP5 + "OutcomeDocument": ("#aec7e8", "triangleDown"),
    IP5 + "Aim": ("#c5b0d5", "triangleDown"),
    IP5 + "Place": ("#7f7f7f", "dot"),
    IP5 + "NameChange": ("#ff9896", "star"),
    IP5 + "ApplicationShare": ("#c49c94", "star"),
    IP5 + "Conflict": ("#393b79", "star"),
    network.TENURE: ("#c7c7c7", "dot"),
    network.PARTICIPATION: ("#dbdb8d", "dot"),
}
_FALLBACK_COLOURS = ("#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1", "#636363")
_FALLBACK_SHAPES = ("dot", "square", "triangle", "diamond")


class ViewError(Ip5GraphError):
    """A view cannot be built (e.g. the vis-network asset is missing): one line, exit 1."""


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
        return _spring_by_component(network._simple(g), seed)
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
    simple = network._simple(g)
    adj = {v: sorted(simple.adj[v]) for v in simple}
    groups = network.communities_of_simple(simple, seed=seed)
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
    start = min(members, key=lambda v: (-len(adj[v]), v))   # the best-connected, ties by IRI
    order, seen = [], {start}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        order.append(v)
        for w in adj[v]:
            if w in inside and w not in seen:
                seen.add(w)
                queue.append(w)
    order.extend(v for v in members if v not in seen)   # unreachable inside the community
    return order


# -- page data ------------------------------------------------------------------------------

def json_for_html(obj: Any) -> str:
    """JSON safe inside <script type="application/json">: '<', '>', '&' as \\u escapes."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def class_styles(classes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Colour and vis shape per class: fixed for the ontology's classes, a palette for others."""
    styles: dict[str, tuple[str, str]] = {}
    extra = 0
    for c in classes:
        if c in CLASS_STYLE:
            styles[c] = CLASS_STYLE[c]
        else:
            styles[c] = (_FALLBACK_COLOURS[extra % len(_FALLBACK_COLOURS)],
                         _FALLBACK_SHAPES[extra % len(_FALLBACK_SHAPES)])
            extra += 1
    return styles


def class_order(c: str) -> tuple[int, str]:
    """The legend's order: CLASS_STYLE's order, then other classes by IRI."""
    keys = list(CLASS_STYLE)
    return (keys.index(c), c) if c in CLASS_STYLE else (len(keys), c)


def _pairs(mapping: Mapping[str, list[str]]) -> list[list[str]]:
    return [[network.humanize(k), v] for k, values in sorted(mapping.items()) for v in values]


_PLAIN_EDGE = frozenset({"label", "prop"})


def _edge_facts(attrs: Mapping[str, Any]) -> list[list[str]]:
    if attrs.keys() <= _PLAIN_EDGE:          # a plain property edge: the common case, kept cheap
        return [["property", attrs["prop"]]] if attrs.get("prop") else []
    out: list[list[str]] = []
    for key in ("title", "role", "representing", "on_behalf_of", "capacity", "meeting", "ordinal"):
        value = attrs.get(key)
        if value:
            out.append([key.replace("_", " "), str(value)])
    if "acting" in attrs:
        out.append(["acting", "yes" if attrs["acting"] else "no"])
    for name in network.DATE_PROPERTIES:
        for value in attrs.get(name, []):
            out.append([network.humanize(name), value])
    if attrs.get("prop") and not attrs.get("iri"):
        out.append(["property", attrs["prop"]])
    return out


def _claim_text(claim: Mapping[str, Any]) -> str:
    bits = [claim.get("aspect") or "value", "=", claim.get("value") or "?"]
    if claim.get("inferred"):
        bits.append("(inferred)")
    if claim.get("preferred") is True:
        bits.append("(preferred)")
    elif claim.get("preferred") is False:
        bits.append("(not preferred)")
    text = " ".join(bits)
    if claim.get("comment"):
        text += " - " + claim["comment"]
    return text


def page_data(
    g: nx.MultiDiGraph,
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
    focus: str | None = None,
    pages: Mapping[str, str] | None = None,
    root: str = "",
    lang: str = "en",
    seed: int = 0,
) -> dict[str, Any]:
    """Everything the page script needs, as plain JSON-able data in a stable order."""
    order = sorted(g.nodes)
    index = {v: i for i, v in enumerate(order)}
    pos = positions if positions is not None else layout(g, seed=seed)
    classes = sorted({g.nodes[v].get("cls", "") for v in order}, key=class_order)
    styles = class_styles(classes)
    class_index = {c: i for i, c in enumerate(classes)}
    class_labels = {}
    for v in order:
        class_labels.setdefault(g.nodes[v].get("cls", ""), g.nodes[v].get("cls_label") or "other")

    metric = _centrality_for_size(g, order)
    top = max(metric.values(), default=0.0) or 1.0

    table = g.graph.get("sources", {})
    used_sources: set[str] = set()
    for v in order:
        used_sources.update(g.nodes[v].get("sources", ()))
        for claim in g.nodes[v].get("claims", ()):
            used_sources.update(claim.get("sources", ()))
    edges = list(network.iter_edges_sorted(g))
    for _, _, _, attrs in edges:
        used_sources.update(attrs.get("sources", ()))
    source_list = sorted(used_sources, key=lambda s: (table.get(s, {}).get("id", s).lower(), s))
    source_index = {s: i for i, s in enumerate(source_list)}
    sources_json = []
    for s in source_list:
        rec = table.get(s, {})
        sources_json.append({
            "id": rec.get("id", network.slug_of(s)), "label": rec.get("label", s),
            "tier": rec.get("tier", ""), "address": rec.get("address", ""),
        })

    langs = {"en"}
    nodes_json = []
    for v in order:
        a = g.nodes[v]
        langs.update(k for k in a.get("labels", {}) if k)
        x, y = pos.get(v, (0.0, 0.0))
        item: dict[str, Any] = {
            "x": round(x, 1), "y": round(y, 1),
            "s": round(10.0 + 22.0 * math.sqrt(max(metric.get(v, 0.0), 0.0) / top), 1),
            "c": class_index[a.get("cls", "")],
            "label": a.get("label") or network.slug_of(v),
            "labels": a.get("labels", {}),
            "iri": a.get("iri", v),
            "slug": a.get("slug", ""),
        }
        if a.get("alt_labels"):
            item["alt"] = a["alt_labels"]
        if a.get("comment"):
            item["comment"] = a["comment"]
        if a.get("dates"):
            item["dates"] = _pairs(a["dates"])
        if a.get("facts"):
            item["facts"] = [list(f) for f in a["facts"]]
        if a.get("sources"):
            item["src"] = [source_index[s] for s in a["sources"]]
        if a.get("claims"):
            item["claims"] = [{"text": _claim_text(c), "src": [source_index[s] for s in c.get("sources", ())]}
                              for c in a["claims"]]
        if pages and v in pages:
            item["page"] = pages[v]
        if v == focus:
            item["focus"] = True
        nodes_json.append(item)

    label_list = sorted({attrs.get("label", k) for _, _, k, attrs in edges})
    label_index = {lbl: i for i, lbl in enumerate(label_list)}
    edges_json = []
    for u, v, k, attrs in edges:
        e: dict[str, Any] = {"f": index[u], "t": index[v], "l": label_index[attrs.get("label", k)]}
        if attrs.get("iri"):
            e["iri"] = attrs["iri"]
        facts = _edge_facts(attrs)
        if facts:
            e["facts"] = facts
        if attrs.get("sources"):
            e["src"] = [source_index[s] for s in attrs["sources"]]
        edges_json.append(e)

    ordered_langs = [x for x in LANG_ORDER if x in langs] + sorted(langs - set(LANG_ORDER))
    return {
        "classes": [{"key": c, "label": class_labels.get(c, "other"), "color": styles[c][0],
                     "shape": styles[c][1]} for c in classes],
        "edge_labels": label_list,
        "edges": edges_json,
        "focus": index.get(focus) if focus is not None else None,
        "lang": lang if lang in langs else "en",
        "langs": ordered_langs,
        "nodes": nodes_json,
        "root": root,
        "sources": sources_json,
    }


def _centrality_for_size(g: nx.MultiDiGraph, order: list[str]) -> dict[str, float]:
    """Betweenness when the whole graph was annotated (site build), else degree in this view."""
    if order and all("betweenness" in g.nodes[v] for v in order):
        return {v: g.nodes[v]["betweenness"] + 0.1 * g.nodes[v].get("degree", 0.0) for v in order}
    return {v: float(len((g.succ[v].keys() | g.pred[v].keys()) - {v})) for v in order}


# -- the page -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network 9.1.2 script that pyvis ships (read from disk, pyvis is not imported)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ViewError("pyvis is not installed: it provides the vis-network script the views embed")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*VIS_RELATIVE)
    if not path.is_file():
        raise ViewError(f"vis-network script not found at {path}")
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


@lru_cache(maxsize=4)
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


_SLOT = re.compile(r"\{\{(\w+)\}\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace {{name}} slots in one pass (inserted text is never re-scanned)."""
    def repl(m: re.Match[str]) -> str:
        return values[m.group(1)]
    return _SLOT.sub(repl, template)


def nav_html(links: Iterable[tuple[str, str]]) -> str:
    """A row of site links; hrefs are relative paths we built from slugs, text is escaped."""
    items = [f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>' for href, text in links]
    return f'<nav class="site">{"".join(items)}</nav>' if items else ""


def render(
    data: Mapping[str, Any],
    *,
    title: str,
    subtitle: str = "",
    nav: str = "",
    extra: str = "",
    vis_src: str | None = None,
) -> str:
    """Put page data into the template. `nav`/`extra` are HTML we built and escaped ourselves.

    vis_src: None inlines vis-network (a single self-contained file); a relative path makes the
    page load it from that local file instead (a site writes it once for all pages).
    """
    if vis_src is None:
        vis = "<script>\n" + vis_network_js() + "\n</script>"
    else:
        vis = f'<script src="{html.escape(vis_src, quote=True)}"></script>'
    return fill(_template("graph.html"), {
        "title": html.escape(title),
        "heading": html.escape(title),
        "subtitle": html.escape(subtitle),
        "nav": nav,
        "extra": extra,
        "data": json_for_html(data),
        "vis": vis,
        "app": _template("graph.js"),
    })


def build_html(
    g: nx.MultiDiGraph,
    *,
    title: str = "IP5 knowledge graph",
    subtitle: str = "",
    focus: str | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    lang: str = "en",
    seed: int = 0,
    pages: Mapping[str, str] | None = None,
    root: str = "",
    nav: str = "",
    extra: str = "",
    vis_src: str | None = None,
) -> str:
    """One HTML page showing `g`; same graph and arguments -> the same bytes."""
    data = page_data(g, positions=positions, focus=focus, pages=pages, root=root, lang=lang, seed=seed)
    if not subtitle:
        subtitle = f"{len(g)} entities, {g.number_of_edges()} links"
    return render(data, title=title, subtitle=subtitle, nav=nav, extra=extra, vis_src=vis_src)


def write_html(g: nx.MultiDiGraph, path: str | os.PathLike[str], **kwargs: Any) -> None:
    """build_html, written atomically."""
    atomic_write_text(path, build_html(g, **kwargs))

