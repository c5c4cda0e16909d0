"""The data one graph page carries: nodes with their facts, claims and sources, edges, legend and
positions, as a JSON island that is safe inside HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ip5graph.network.navigation import iter_edges_sorted
from ip5graph.network.vocabulary import DATE_PROPERTIES, LANGS, class_order, class_styles, humanize, slug_of
from ip5graph.web.layout import layout

LANG_ORDER = LANGS  # the one language order (network.vocabulary)
# -- page data ------------------------------------------------------------------------------


def json_for_html(obj: Any) -> str:
    """JSON safe inside <script type="application/json">: '<', '>', '&' as \\u escapes."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _pairs(mapping: Mapping[str, list[str]]) -> list[list[str]]:
    return [[humanize(k), v] for k, values in sorted(mapping.items()) for v in values]


_PLAIN_EDGE = frozenset({"label", "prop"})


def _edge_facts(attrs: Mapping[str, Any]) -> list[list[str]]:
    if attrs.keys() <= _PLAIN_EDGE:  # a plain property edge: the common case, kept cheap
        return [["property", attrs["prop"]]] if attrs.get("prop") else []
    out: list[list[str]] = []
    for key in ("title", "role", "representing", "on_behalf_of", "capacity", "meeting", "ordinal"):
        value = attrs.get(key)
        if value:
            out.append([key.replace("_", " "), str(value)])
    if "acting" in attrs:
        out.append(["acting", "yes" if attrs["acting"] else "no"])
    for name in DATE_PROPERTIES:
        for value in attrs.get(name, []):
            out.append([humanize(name), value])
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
    class_labels: dict[str, str] = {}
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
    edges = list(iter_edges_sorted(g))
    for _, _, _, attrs in edges:
        used_sources.update(attrs.get("sources", ()))
    source_list = sorted(used_sources, key=lambda s: (table.get(s, {}).get("id", s).lower(), s))
    source_index = {s: i for i, s in enumerate(source_list)}
    sources_json = []
    for s in source_list:
        rec = table.get(s, {})
        sources_json.append(
            {
                "id": rec.get("id", slug_of(s)),
                "label": rec.get("label", s),
                "tier": rec.get("tier", ""),
                "address": rec.get("address", ""),
            }
        )

    langs = {"en"}
    nodes_json = []
    for v in order:
        a = g.nodes[v]
        langs.update(k for k in a.get("labels", {}) if k)
        x, y = pos.get(v, (0.0, 0.0))
        item: dict[str, Any] = {
            "x": round(x, 1),
            "y": round(y, 1),
            "s": round(10.0 + 22.0 * math.sqrt(max(metric.get(v, 0.0), 0.0) / top), 1),
            "c": class_index[a.get("cls", "")],
            "label": a.get("label") or slug_of(v),
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
            item["claims"] = [
                {"text": _claim_text(c), "src": [source_index[s] for s in c.get("sources", ())]} for c in a["claims"]
            ]
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
        "classes": [
            {"key": c, "label": class_labels.get(c, "other"), "color": styles[c][0], "shape": styles[c][1]}
            for c in classes
        ],
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
