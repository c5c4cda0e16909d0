"""network/export.py: GraphML/GEXF that networkx reads back with positions; Neo4j CSV; same bytes."""

from __future__ import annotations

import csv
import io
import re

import networkx as nx
import pytest

from ip5graph.errors import UsageError
from ip5graph.network import analytics, export
from ip5graph.rdf.namespaces import ID
from ip5graph.web import layout


@pytest.fixture(scope="module")
def G(net):
    proj = net.copy()  # annotated here: the shared one stays as projected
    analytics.annotate_centrality(proj)
    return proj


@pytest.fixture(scope="module")
def pos(G):
    return layout.layout(G)


def test_graphml_round_trip_with_positions(G, pos):
    data = export.export_graph(G, "graphml", pos)["ip5graph.graphml"]
    back = nx.read_graphml(io.BytesIO(data))
    assert len(back) == len(G) and back.number_of_edges() == G.number_of_edges()
    jpo = back.nodes["office:jpo"]  # the slug as an XML name; the IRI is an attribute
    assert jpo["iri"] == ID + "office/jpo"
    assert jpo["label_ja"] == "特許庁" and jpo["sources"] == "S00a"
    assert (jpo["x"], jpo["y"]) == (round(pos[ID + "office/jpo"][0], 1), round(-pos[ID + "office/jpo"][1], 1))
    assert (jpo["r"], jpo["g"], jpo["b"]) == (0x1F, 0x77, 0xB4)
    edge_ids = re.findall(rb'<edge [^>]*\bid="([^"]+)"', data)
    assert len(set(edge_ids)) == len(edge_ids) == G.number_of_edges()


def test_gexf_has_viz_and_no_date(G, pos):
    data = export.export_graph(G, "gexf", pos)["ip5graph.gexf"]
    assert b"lastmodifieddate" not in data and b'name=""' not in data
    back = nx.read_gexf(io.BytesIO(data))
    assert len(back) == len(G)
    assert back.nodes["office:jpo"]["viz"]["position"]["y"] == round(-pos[ID + "office/jpo"][1], 1)
    assert data == export.export_graph(G, "gexf", pos)["ip5graph.gexf"]


def test_csv_for_neo4j(G, pos):
    files = export.export_graph(G, "csv", pos)
    nodes = list(csv.reader(io.StringIO(files["nodes.csv"].decode())))
    edges = list(csv.reader(io.StringIO(files["edges.csv"].decode())))
    assert nodes[0][:3] == ["iri:ID", ":LABEL", "label"] and "sources:string[]" in nodes[0]
    assert edges[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert len(nodes) - 1 == len(G) and len(edges) - 1 == G.number_of_edges()
    types = {row[2] for row in edges[1:]}
    assert {"HEADED", "HEADED_ACTING", "CHAIRED", "HOST", "MEMBER_OF", "NEXT_MEETING"} <= types
    labels = {row[0]: row[1] for row in nodes[1:]}
    assert labels[ID + "office/jpo"] == "PatentOffice" and labels[ID + "person/daren-tang"] == "Person"
    kasutani = next(r for r in nodes[1:] if r[0] == ID + "person/kasutani-toshihide")
    assert kasutani[nodes[0].index("sources:string[]")] == "S00b;S61"


def test_csv_headers_are_typed_for_neo4j_admin(G, pos):
    """The header types the README's `neo4j-admin database import full` line relies on."""
    files = export.export_graph(G, "csv", pos)
    nodes = list(csv.reader(io.StringIO(files["nodes.csv"].decode())))
    edges = list(csv.reader(io.StringIO(files["edges.csv"].decode())))
    assert {
        "iri:ID",
        ":LABEL",
        "degree:float",
        "x:float",
        "y:float",
        "r:int",
        "sources:string[]",
        "start_date:date[]",
        "start_date_as_given",
        "founding_date:date[]",
    } <= set(nodes[0])
    assert {
        ":START_ID",
        ":END_ID",
        ":TYPE",
        "acting:boolean",
        "start_date:date[]",
        "end_date:date[]",
        "start_date_as_given",
        "sources:string[]",
    } <= set(edges[0])
    assert "acting" not in edges[0] and "start_date" not in edges[0]  # no untyped copies
    col = {name: i for i, name in enumerate(edges[0])}
    acting = {row[col["acting:boolean"]] for row in edges[1:]}
    assert acting == {"true", "false", ""}  # "" (not stated) is null for neo4j-admin
    headed = [row for row in edges[1:] if row[2] in ("HEADED", "HEADED_ACTING") and row[col["start_date:date[]"]]]
    assert headed and all(
        re.fullmatch(r"\d{4}(-\d\d){0,2}(;\d{4}(-\d\d){0,2})*", r[col["start_date:date[]"]]) for r in headed
    )
    assert all(r[col["start_date_as_given"]].replace("; ", ";") == r[col["start_date:date[]"]] for r in headed)


def test_unknown_format(G, pos):
    with pytest.raises(UsageError):
        export.export_graph(G, "dot", pos)
