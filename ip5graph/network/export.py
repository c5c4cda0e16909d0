"""The projected network in graph-tool formats: GraphML and GEXF for Gephi, CSV for Neo4j.

Why here and not in export.py: those are RDF serializations of the triples; these are the
entity network (network.project), flattened to the scalar attributes the formats allow, with the
same positions as the HTML view so Gephi opens the picture the browser showed.
Deterministic: nodes and edges in sorted order, attributes in a fixed order, and GEXF's
"last modified" date (today, in networkx) taken out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ip5graph.errors import UsageError
from ip5graph.network import projection as network

GRAPH_FORMATS = ("graphml", "gexf", "csv")
LANGS = ("en", "ja", "zh", "ko")


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _node_row(g: nx.MultiDiGraph, v: str, pos: Mapping[str, tuple[float, float]],
              styles: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    a = g.nodes[v]
    labels = a.get("labels", {})
    row: dict[str, Any] = {
        "label": a.get("label", ""),
        "iri": a.get("iri", v),
        "slug": a.get("slug", ""),
        "class": a.get("cls_label", ""),
        "class_iri": a.get("cls", ""),
    }
    for lang in LANGS:
        row[f"label_{lang}"] = "; ".join(labels.get(lang, []))
    row["alt_labels"] = "; ".join(f"{k}:{x}" if k else x for k, xs in sorted(a.get("alt_labels", {}).items())
                                  for x in xs)
    row["comment"] = a.get("comment", "")
    for name in network.DATE_PROPERTIES:
        row[network.humanize(name).replace(" ", "_")] = "; ".join(a.get("dates", {}).get(name, []))
    row["facts"] = "; ".join(f"{k}: {x}" for k, x in a.get("facts", []))
    recs = network.sources_of(g, a.get("sources", []))
    row["sources"] = "; ".join(r["id"] for r in recs)
    row["source_tiers"] = "; ".join(f"{r['id']}={r.get('tier', '')}" for r in recs)
    row["degree"] = round(float(a.get("degree", 0.0)), 6)
    row["betweenness"] = round(float(a.get("betweenness", 0.0)), 6)
    x, y = pos.get(v, (0.0, 0.0))
    row["x"], row["y"] = round(x, 1), round(y, 1)
    colour = styles.get(a.get("cls", ""), ("#888888", "dot"))[0]
    row["r"], row["g"], row["b"] = _hex_rgb(colour)
    return row


def _edge_row(g: nx.MultiDiGraph, key: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    recs = network.sources_of(g, attrs.get("sources", []))
    row: dict[str, Any] = {
        "edge_key": key,
        "label": attrs.get("label", key),
        "property": attrs.get("prop", ""),
        "record": attrs.get("iri", ""),
        "title": attrs.get("title", ""),
        "acting": "" if "acting" not in attrs else ("true" if attrs["acting"] else "false"),
        "role": attrs.get("role", ""),
        "representing": attrs.get("representing", ""),
        "on_behalf_of": attrs.get("on_behalf_of", ""),
    }
    for name in network.DATE_PROPERTIES:
        row[network.humanize(name).replace(" ", "_")] = "; ".join(attrs.get(name, []))
    row["sources"] = "; ".join(r["id"] for r in recs)
    return row


def flat_graph(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (what GraphML and GEXF can hold), in sorted order."""
    from ip5graph.web.render import class_order, class_styles

    styles = class_styles(sorted({g.nodes[v].get("cls", "") for v in g}, key=class_order))
    flat = nx.MultiDiGraph()
    for v in sorted(g):
        flat.add_node(v, **_node_row(g, v, positions, styles))
    for u, v, k, attrs in network.iter_edges_sorted(g):
        flat.add_edge(u, v, key=k, **_edge_row(g, k, attrs))
    return flat


def to_graphml(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> bytes:
    """GraphML; Gephi reads the x, y, r, g, b and label attributes as position, colour and label."""
    buf = io.BytesIO()
    nx.write_graphml_xml(flat_graph(g, positions), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> bytes:
    """GEXF 1.2 with viz:position, viz:color and viz:size from the view."""
    flat = flat_graph(g, positions)
    for _, a in flat.nodes(data=True):
        size = 10.0 + 22.0 * (float(a["betweenness"]) ** 0.5)
        a["viz"] = {"position": {"x": a["x"], "y": -a["y"], "z": 0.0},
                    "color": {"r": a["r"], "g": a["g"], "b": a["b"], "a": 1.0},
                    "size": round(size, 1)}
    buf = io.BytesIO()
    nx.write_gexf(flat, buf, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date into <meta>: drop it so the same data gives the same bytes
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)


def _neo4j_type(key: str) -> str:
    base = network.base_key(key)
    return re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", base)).strip("_").upper() or "RELATED"


def _neo4j_label(cls_iri: str) -> str:
    name = network.local_name(cls_iri) if cls_iri else "Entity"
    return re.sub(r"[^A-Za-z0-9_]", "", name) or "Entity"


def to_csv(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> tuple[str, str]:
    """(nodes.csv, edges.csv) with neo4j-admin import headers (iri:ID, :LABEL, :START_ID ...)."""
    flat = flat_graph(g, positions)
    nodes_buf, edges_buf = io.StringIO(), io.StringIO()
    node_cols = [c for c in next(iter(flat.nodes.values()), {}) if c != "iri"] if len(flat) else []
    typed = {"degree": "degree:float", "betweenness": "betweenness:float", "x": "x:float", "y": "y:float",
             "r": "r:int", "g": "g:int", "b": "b:int", "sources": "sources:string[]"}
    w = csv.writer(nodes_buf, lineterminator="\n")
    w.writerow(["iri:ID", ":LABEL", *[typed.get(c, c) for c in node_cols]])
    for _, a in flat.nodes(data=True):
        row = dict(a)
        row["sources"] = row["sources"].replace("; ", ";")
        w.writerow([a["iri"], _neo4j_label(a.get("class_iri", "")), *[row[c] for c in node_cols]])
    edge_cols = list(_edge_row(g, "x", {}).keys())
    w = csv.writer(edges_buf, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE", *[("sources:string[]" if c == "sources" else c) for c in edge_cols]])
    for u, v, k, a in flat.edges(keys=True, data=True):
        row = dict(a)
        row["sources"] = row["sources"].replace("; ", ";")
        w.writerow([u, v, _neo4j_type(k), *[row[c] for c in edge_cols]])
    return nodes_buf.getvalue(), edges_buf.getvalue()


def export_graph(g: nx.MultiDiGraph, fmt: str, positions: Mapping[str, tuple[float, float]] | None = None,
                 *, seed: int = 0) -> dict[str, bytes]:
    """File name -> bytes for one format (csv gives two files: nodes.csv and edges.csv)."""
    if fmt not in GRAPH_FORMATS:
        raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(GRAPH_FORMATS)}")
    if positions is None:
        from ip5graph.web.render import layout

        positions = layout(g, seed=seed)
    if fmt == "graphml":
        return {"ip5graph.graphml": to_graphml(g, positions)}
    if fmt == "gexf":
        return {"ip5graph.gexf": to_gexf(g, positions)}
    nodes, edges = to_csv(g, positions)
    return {"nodes.csv": nodes.encode("utf-8"), "edges.csv": edges.encode("utf-8")}
