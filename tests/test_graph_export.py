"""network/export.py: GraphML/GEXF that networkx reads back with positions; Neo4j CSV; same bytes."""

from __future__ import annotations

import csv
import io

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


def test_graphml_round_trip_with_positions(G):
    pos = layout.layout(G)
    data = export.export_graph(G, "graphml", pos)["ip5graph.graphml"]
    back = nx.read_graphml(io.BytesIO(data))
    assert len(back) == len(G) and back.number_of_edges() == G.number_of_edges()
    jpo = back.nodes[ID + "office/jpo"]
    assert jpo["label_ja"] == "特許庁" and jpo["sources"] == "S00a"
    assert (jpo["x"], jpo["y"]) == (round(pos[ID + "office/jpo"][0], 1), round(pos[ID + "office/jpo"][1], 1))
    assert (jpo["r"], jpo["g"], jpo["b"]) == (0x1F, 0x77, 0xB4)


def test_gexf_has_viz_and_no_date(G):
    data = export.export_graph(G, "gexf", layout.layout(G))["ip5graph.gexf"]
    assert b"lastmodifieddate" not in data
    back = nx.read_gexf(io.BytesIO(data))
    assert len(back) == len(G)
    assert "position" in back.nodes[ID + "office/jpo"]["viz"]
    assert data == export.export_graph(G, "gexf", layout.layout(G))["ip5graph.gexf"]


def test_csv_for_neo4j(G):
    files = export.export_graph(G, "csv", layout.layout(G))
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


def test_unknown_format(G):
    with pytest.raises(UsageError):
        export.export_graph(G, "dot", {})
