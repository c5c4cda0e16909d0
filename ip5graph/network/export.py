"""The projected network in graph-tool formats: GraphML and GEXF for Gephi, CSV for Neo4j.

Why here and not in kg/export.py: those are RDF serializations of the triples; these are the
entity network (projection.project), flattened to the scalar attributes the formats allow, with the
positions and colours the caller passes (the HTML view's, so Gephi opens the picture the browser
showed; this module does not import the web layer).
Ids valid for both formats: a node's id is its slug with ':' for '/' (an XML NMTOKEN, as GraphML's
schema wants; the IRI is the `iri` attribute), an edge's is e0, e1, ... in sorted order (unique:
Gephi and graphology drop or refuse an edge whose id they have seen). One orientation everywhere:
`x`, `y` (and GEXF's viz:position) have y pointing up, as Gephi draws, so both files open the way
the browser shows the graph (whose screen y points down).
Deterministic: nodes and edges in sorted order, attributes in a fixed order, and GEXF's
"last modified" date (today, in networkx) taken out.
"""

from __future__ import annotations

import csv
import io
import os
import re
import xml.etree.ElementTree as ET
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
DEFAULT_COLOUR = "#888888"
Positions = Mapping[str, tuple[float, float]]
Colours = Mapping[str, str]  # class IRI -> "#rrggbb"


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def node_ids(g: nx.MultiDiGraph) -> dict[str, str]:
    """Node -> an id valid in GraphML (NMTOKEN) and GEXF, unique and stable: `office:jpo` for .../id/office/jpo."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for v in sorted(g):
        a = g.nodes[v]
        base = re.sub(r"[^\w.:-]", "_", (a.get("slug") or local_name(a.get("iri", v)) or "node").replace("/", ":"))
        nid, n = base, 1
        while nid in taken:
            n += 1
            nid = f"{base}-{n}"
        taken.add(nid)
        out[v] = nid
    return out


def _node_row(g: nx.MultiDiGraph, v: str, pos: Positions, colours: Colours) -> dict[str, Any]:
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
    row["x"], row["y"] = round(x, 1), round(-y, 1) + 0.0  # y up (+ 0.0: no "-0.0")
    colour = colours.get(a.get("cls", ""), DEFAULT_COLOUR)
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
        "role": attrs.get("role", ""),
        "representing": attrs.get("representing", ""),
        "on_behalf_of": attrs.get("on_behalf_of", ""),
    }
    for name in DATE_PROPERTIES:
        row[humanize(name).replace(" ", "_")] = "; ".join(attrs.get(name, []))
    row["sources"] = "; ".join(r["id"] for r in recs)
    if "acting" in attrs:  # a boolean where known, absent elsewhere (GraphML and GEXF have no null)
        row["acting"] = bool(attrs["acting"])
    return row


def class_colours(g: nx.MultiDiGraph) -> dict[str, str]:
    """Class IRI -> colour, as the network's class styles give them (what the HTML view draws)."""
    styles = class_styles(sorted({g.nodes[v].get("cls", "") for v in g}, key=class_order))
    return {cls: style[0] for cls, style in styles.items()}


def flat_graph(g: nx.MultiDiGraph, positions: Positions, colours: Colours) -> nx.MultiDiGraph:
    """A copy with format-valid ids and scalar attributes only (what GraphML and GEXF hold), in sorted order."""
    ids = node_ids(g)
    flat = nx.MultiDiGraph()
    for v in sorted(g):
        flat.add_node(ids[v], **_node_row(g, v, positions, colours))
    for i, (u, v, k, attrs) in enumerate(iter_edges_sorted(g)):
        flat.add_edge(ids[u], ids[v], key=f"e{i}", **_edge_row(g, k, attrs))
    return flat


def to_graphml(g: nx.MultiDiGraph, positions: Positions, colours: Colours) -> bytes:
    """GraphML; Gephi reads the x, y, r, g, b and label attributes as position, colour and label."""
    buf = io.BytesIO()
    nx.write_graphml_xml(flat_graph(g, positions, colours), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def to_gexf(g: nx.MultiDiGraph, positions: Positions, colours: Colours) -> bytes:
    """GEXF 1.2draft with viz:position, viz:color and viz:size from the view, valid against its schema."""
    flat = flat_graph(g, positions, colours)
    for _, a in flat.nodes(data=True):
        size = 10.0 + 22.0 * (float(a["betweenness"]) ** 0.5)
        a["viz"] = {
            "position": {"x": a["x"], "y": a["y"], "z": 0.0},
            "color": {"r": a["r"], "g": a["g"], "b": a["b"], "a": 1.0},
            "size": round(size, 1),
        }
    for _, _, k, a in flat.edges(keys=True, data=True):
        a["id"] = k
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(flat)
    root = writer.xml  # networkx's elements carry no namespace (it writes xmlns as an attribute)
    graph = root.find("graph")
    assert graph is not None
    graph.attrib.pop("name", None)  # networkx writes name="", which the GEXF schema does not allow
    meta = root.find("meta")
    if meta is not None:  # networkx stamps today's date: the same data must give the same bytes
        meta.attrib.pop("lastmodifieddate", None)
    _drop_edge_attribute(graph, "networkx_key")  # networkx's copy of the edge key, = the edge id
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _drop_edge_attribute(graph: ET.Element, title: str) -> None:
    for decl in graph.findall("attributes[@class='edge']"):
        for attr in decl.findall("attribute"):
            if attr.get("title") == title:
                decl.remove(attr)
                for values in graph.iterfind("edges/edge/attvalues"):
                    for value in values.findall("attvalue"):
                        if value.get("for") == attr.get("id"):
                            values.remove(value)


def _neo4j_type(key: str) -> str:
    base = base_key(key)
    return re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", base)).strip("_").upper() or "RELATED"


def _neo4j_label(cls_iri: str) -> str:
    name = local_name(cls_iri) if cls_iri else "Entity"
    return re.sub(r"[^A-Za-z0-9_]", "", name) or "Entity"


DATE_COLUMNS = tuple(humanize(name).replace(" ", "_") for name in DATE_PROPERTIES)
NODE_TYPES = {
    "degree": "float",
    "betweenness": "float",
    "x": "float",
    "y": "float",
    "r": "int",
    "g": "int",
    "b": "int",
    "sources": "string[]",
}
EDGE_TYPES = {"acting": "boolean", "sources": "string[]"}


def _csv_columns(names: list[str], types: Mapping[str, str]) -> list[tuple[str, str]]:
    """(attribute, header) pairs: neo4j-admin's `name:type`; each date column twice, typed and as given."""
    out = []
    for name in names:
        if name in DATE_COLUMNS:
            out += [(name, f"{name}:date[]"), (name + "_as_given", name + "_as_given")]
        else:
            out.append((name, f"{name}:{types[name]}" if name in types else name))
    return out


def _csv_value(attrs: Mapping[str, Any], name: str) -> object:
    if name.endswith("_as_given"):
        return attrs.get(name[: -len("_as_given")], "")
    value = attrs.get(name, "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in DATE_COLUMNS or name == "sources":
        return value.replace("; ", ";")  # neo4j-admin's array delimiter
    return value


def to_csv(g: nx.MultiDiGraph, positions: Positions, colours: Colours) -> tuple[str, str]:
    """(nodes.csv, edges.csv) for `neo4j-admin database import full` (header types as the README shows).

    The IRI is the node id (iri:ID); dates are `date[]` columns (a year or a month reads as its first
    day there), and the same dates at the precision the sources give in `*_as_given` text columns.
    """
    flat = flat_graph(g, positions, colours)
    nodes_buf, edges_buf = io.StringIO(), io.StringIO()
    first: dict[str, Any] = next(iter(flat.nodes.values()), {}) if len(flat) else {}
    node_cols = _csv_columns([c for c in first if c != "iri"], NODE_TYPES)
    w = csv.writer(nodes_buf, lineterminator="\n")
    w.writerow(["iri:ID", ":LABEL", *[h for _, h in node_cols]])
    for _, a in flat.nodes(data=True):
        w.writerow([a["iri"], _neo4j_label(a.get("class_iri", "")), *[_csv_value(a, c) for c, _ in node_cols]])
    edge_cols = _csv_columns([c for c in _edge_row(g, "x", {"acting": False}) if c != "edge_key"], EDGE_TYPES)
    w = csv.writer(edges_buf, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE", "edge_key", *[h for _, h in edge_cols]])
    for u, v, a in flat.edges(data=True):
        w.writerow(
            [
                flat.nodes[u]["iri"],
                flat.nodes[v]["iri"],
                _neo4j_type(a["edge_key"]),
                a["edge_key"],
                *[_csv_value(a, c) for c, _ in edge_cols],
            ]
        )
    return nodes_buf.getvalue(), edges_buf.getvalue()


def export_graph(
    g: nx.MultiDiGraph, fmt: str, positions: Positions, colours: Colours | None = None
) -> dict[str, bytes]:
    """File name -> bytes for one format (csv gives two files: nodes.csv and edges.csv).

    `positions` (screen coordinates, y down, as the views' layout gives them) and `colours` (class
    IRI -> "#rrggbb"; default: the network's class styles) come from the caller: network does not
    reach downstream into web for them.
    """
    if fmt not in NETWORK_FORMATS:
        raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(NETWORK_FORMATS)}")
    colours = class_colours(g) if colours is None else colours
    if fmt == "graphml":
        return {"ip5graph.graphml": to_graphml(g, positions, colours)}
    if fmt == "gexf":
        return {"ip5graph.gexf": to_gexf(g, positions, colours)}
    nodes, edges = to_csv(g, positions, colours)
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
