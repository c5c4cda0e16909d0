"""The projected network in graph-tool formats: GraphML and GEXF for Gephi, CSV for Neo4j.

Why here and not in kg/export.py: those are RDF serializations of the triples; these are the
entity network (projection.project), flattened to the scalar attributes the formats allow, with the
same positions as the HTML view so Gephi opens the picture the browser showed.
Deterministic: nodes and edges in sorted order, attributes in a fixed order, and GEXF's
"last modified" date (today, in networkx) taken out.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.errors import UsageError
from ip5graph.files import atomic_write_bytes
from ip5graph.network.analytics import annotate_centrality
from ip5graph.network.navigation import iter_edges_sorted, sources_of
from ip5graph.network.paths import base_key
from ip5graph.network.vocabulary import DATE_PROPERTIES, LANGS, class_order, class_styles, humanize, local_name

# the network (not RDF) formats; query.formats.GRAPH_FORMATS are those of CONSTRUCT/DESCRIBE results
NETWORK_FORMATS = ("graphml", "gexf", "csv")


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _node_row(
    g: nx.MultiDiGraph, v: str, pos: Mapping[str, tuple[float, float]], styles: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
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
    row["alt_labels"] = "; ".join(
        f"{k}:{x}" if k else x for k, xs in sorted(a.get("alt_labels", {}).items()) for x in xs
    )
    row["comment"] = a.get("comment", "")
    for name in DATE_PROPERTIES:
        row[humanize(name).replace(" ", "_")] = "; ".join(a.get("dates", {}).get(name, []))
    row["facts"] = "; ".join(f"{k}: {x}" for k, x in a.get("facts", []))
    recs = sources_of(g, a.get("sources", []))
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
    recs = sources_of(g, attrs.get("sources", []))
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
    for name in DATE_PROPERTIES:
        row[humanize(name).replace(" ", "_")] = "; ".join(attrs.get(name, []))
    row["sources"] = "; ".join(r["id"] for r in recs)
    return row


def flat_graph(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (what GraphML and GEXF can hold), in sorted order."""
    styles = class_styles(sorted({g.nodes[v].get("cls", "") for v in g}, key=class_order))
    flat = nx.MultiDiGraph()
    for v in sorted(g):
        flat.add_node(v, **_node_row(g, v, positions, styles))
    for u, v, k, attrs in iter_edges_sorted(g):
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
        a["viz"] = {
            "position": {"x": a["x"], "y": -a["y"], "z": 0.0},
            "color": {"r": a["r"], "g": a["g"], "b": a["b"], "a": 1.0},
            "size": round(size, 1),
        }
    buf = io.BytesIO()
    nx.write_gexf(flat, buf, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date into <meta>: drop it so the same data gives the same bytes
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)


def _neo4j_type(key: str) -> str:
    base = base_key(key)
    return re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", base)).strip("_").upper() or "RELATED"


def _neo4j_label(cls_iri: str) -> str:
    name = local_name(cls_iri) if cls_iri else "Entity"
    return re.sub(r"[^A-Za-z0-9_]", "", name) or "Entity"


def to_csv(g: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> tuple[str, str]:
    """(nodes.csv, edges.csv) with neo4j-admin import headers (iri:ID, :LABEL, :START_ID ...)."""
    flat = flat_graph(g, positions)
    nodes_buf, edges_buf = io.StringIO(), io.StringIO()
    node_cols = [c for c in next(iter(flat.nodes.values()), {}) if c != "iri"] if len(flat) else []
    typed = {
        "degree": "degree:float",
        "betweenness": "betweenness:float",
        "x": "x:float",
        "y": "y:float",
        "r": "r:int",
        "g": "g:int",
        "b": "b:int",
        "sources": "sources:string[]",
    }
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


def export_graph(g: nx.MultiDiGraph, fmt: str, positions: Mapping[str, tuple[float, float]]) -> dict[str, bytes]:
    """File name -> bytes for one format (csv gives two files: nodes.csv and edges.csv).

    The positions come from the caller (the views' layout, web.layout): network does not reach
    downstream into web for them."""
    if fmt not in NETWORK_FORMATS:
        raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(NETWORK_FORMATS)}")
    if fmt == "graphml":
        return {"ip5graph.graphml": to_graphml(g, positions)}
    if fmt == "gexf":
        return {"ip5graph.gexf": to_gexf(g, positions)}
    nodes, edges = to_csv(g, positions)
    return {"nodes.csv": nodes.encode("utf-8"), "edges.csv": edges.encode("utf-8")}


def export_network(
    g: nx.MultiDiGraph,
    fmt: str,
    output: str | os.PathLike[str] | None,
    positions: Mapping[str, tuple[float, float]],
) -> dict[str, bytes]:
    """GraphML/GEXF/CSV of a projected network (KnowledgeGraph.network) with the given positions.

    Returns file name -> bytes; with `output` the files are written (atomically): a file for
    graphml/gexf, a folder holding nodes.csv and edges.csv for csv.
    """
    if fmt == "csv" and output is None:
        raise UsageError("--format csv writes two files (nodes.csv, edges.csv): give -o FOLDER")
    annotate_centrality(g)
    files = export_graph(g, fmt, positions)
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
