"""GraphML and GEXF as other tools take them: valid against the published schemas (xmllint, tests/schemas),
and loaded by networkx, igraph and graphology (Node.js) with every node, edge and attribute value.

The expected values are the projected network's own (labels, IRIs, sources, positions), not the
export's output read back by the code that wrote it.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import ip5graph
from ip5graph.network import analytics, export, projection
from ip5graph.web.layout import layout

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
JS = HERE / "js"
NMTOKEN = re.compile(r"^[\w.:-]+$")


@pytest.fixture(scope="module")
def network():
    """The bundled graph's network, its layout (screen coordinates) and both files."""
    g = projection.load(ip5graph.open()).graph
    analytics.annotate_centrality(g)
    positions = layout(g)
    files = {fmt: next(iter(export.export_graph(g, fmt, positions).values())) for fmt in ("graphml", "gexf")}
    return g, positions, files


@pytest.fixture(scope="module")
def written(network, tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph-files")
    paths = {}
    for fmt, data in network[2].items():
        paths[fmt] = folder / f"ip5graph.{fmt}"
        paths[fmt].write_bytes(data)
    return paths


@pytest.fixture(scope="module")
def expected(network):
    """The flat attributes of every node (by IRI) and the edges as a multiset, from the network itself."""
    g, positions, _ = network
    flat = export.flat_graph(g, positions, export.class_colours(g))
    nodes = {a["iri"]: dict(a) for _, a in flat.nodes(data=True)}
    edges = Counter(_edge_sig(flat.nodes[u]["iri"], flat.nodes[v]["iri"], a) for u, v, a in flat.edges(data=True))
    return nodes, edges, flat


def _norm(value: object) -> str:
    """One text form for a value whatever the reader made of it (float, int, bool, str)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "nan" if isinstance(value, float) and math.isnan(value) else repr(round(float(value), 6))
    return str(value)


def _edge_sig(source_iri: str, target_iri: str, attrs: dict) -> tuple:
    return (source_iri, target_iri, tuple(sorted((k, _norm(v)) for k, v in attrs.items() if k != "id")))


# ---------------------------------------------------------------- the schemas


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("fmt, schema", [("graphml", "graphml-1.0/graphml.xsd"), ("gexf", "gexf-1.2draft/gexf.xsd")])
def test_valid_against_the_published_schema(written, fmt, schema):
    proc = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS / schema), str(written[fmt])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [line for line in proc.stderr.splitlines() if "validity error" in line]
    assert proc.returncode == 0 and not errors, "\n".join(errors[:5]) or proc.stderr
    assert "validates" in proc.stderr


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
def test_the_schemas_bite(tmp_path):
    """The validation above would see the faults the issue found: IRIs as ids, repeated edge ids, name=""."""
    bad_graphml = tmp_path / "bad.graphml"
    bad_graphml.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        '<node id="https://w3id.org/ip5graph/id/office/jpo"/><node id="b"/>'
        '<edge id="memberOf" source="b" target="b"/><edge id="memberOf" source="b" target="b"/></graph></graphml>'
    )
    bad_gexf = tmp_path / "bad.gexf"
    bad_gexf.write_text(
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph name=""><nodes/></graph></gexf>'
    )
    for path, schema in ((bad_graphml, "graphml-1.0/graphml.xsd"), (bad_gexf, "gexf-1.2draft/gexf.xsd")):
        proc = subprocess.run(
            ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS / schema), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode != 0
    text = subprocess.run(
        ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS / "graphml-1.0/graphml.xsd"), str(bad_graphml)],
        capture_output=True,
        text=True,
    ).stderr
    assert "NMTOKEN" in text and "Duplicate key-sequence ['memberOf']" in text


# ---------------------------------------------------------------- ids and orientation


def test_ids_are_unique_and_valid_and_keep_the_iri(network, expected):
    g, _, _ = network
    nodes, edges, flat = expected
    assert set(nodes) == {g.nodes[v].get("iri", v) for v in g}  # every node, by IRI
    assert all(NMTOKEN.match(v) for v in flat)
    edge_ids = [k for _, _, k in flat.edges(keys=True)]
    assert len(edge_ids) == g.number_of_edges() == len(set(edge_ids))
    assert flat.nodes["office:jpo"]["iri"] == "https://w3id.org/ip5graph/id/office/jpo"


def test_one_orientation_in_both_files(network, written):
    """GraphML's y, GEXF's y and GEXF's viz:position y are all the view's screen y turned up."""
    g, positions, _ = network
    gml = nx.read_graphml(written["graphml"])
    gexf = nx.read_gexf(written["gexf"])
    jpo_iri = "https://w3id.org/ip5graph/id/office/jpo"
    x, y = positions[jpo_iri]
    assert y != 0
    assert (gml.nodes["office:jpo"]["x"], gml.nodes["office:jpo"]["y"]) == (round(x, 1), round(-y, 1))
    assert gexf.nodes["office:jpo"]["y"] == round(-y, 1)
    assert gexf.nodes["office:jpo"]["viz"]["position"]["y"] == round(-y, 1)
    # two nodes keep their relative place: the one higher on screen is higher in both files
    a, b = sorted(positions, key=lambda v: positions[v][1])[:: len(positions) - 1]
    ids = {v: export.node_ids(g)[v] for v in (a, b)}
    assert gml.nodes[ids[a]]["y"] > gml.nodes[ids[b]]["y"]
    assert gexf.nodes[ids[a]]["viz"]["position"]["y"] > gexf.nodes[ids[b]]["viz"]["position"]["y"]


def test_gexf_graph_has_no_empty_name_and_same_bytes_twice(network):
    g, positions, files = network
    assert b'name=""' not in files["gexf"] and b"lastmodifieddate" not in files["gexf"]
    assert b"networkx_key" not in files["gexf"]
    assert export.export_graph(g, "gexf", positions)["ip5graph.gexf"] == files["gexf"]
    assert export.export_graph(g, "graphml", positions)["ip5graph.graphml"] == files["graphml"]


# ---------------------------------------------------------------- loaders


def _check(nodes_by_iri: dict[str, dict], edge_sigs: Counter, expected, *, missing_bool_false: bool = False):
    want_nodes, want_edges, _ = expected
    assert set(nodes_by_iri) == set(want_nodes)
    for iri, attrs in want_nodes.items():
        got = {k: _norm(v) for k, v in nodes_by_iri[iri].items()}
        want = {k: _norm(v) for k, v in attrs.items()}
        assert {k: got.get(k) for k in want} == want, iri
    if missing_bool_false:  # igraph has no "missing": an edge without `acting` reads as acting=false
        want_edges = Counter(
            {
                (s, t, tuple(sorted(set(a) | ({("acting", "false")} if "acting" not in dict(a) else set())))): n
                for (s, t, a), n in want_edges.items()
            }
        )
    assert edge_sigs == want_edges
    assert sum(edge_sigs.values()) == sum(want_edges.values())


def test_networkx_reads_both(written, expected):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        h = reader(written[fmt])
        assert isinstance(h, nx.MultiDiGraph) and len(h) == len(expected[0])
        nodes = {}
        for _, a in h.nodes(data=True):
            a = {k: v for k, v in a.items() if k != "viz"}
            nodes[a["iri"]] = a
        sigs = Counter(_edge_sig(h.nodes[u]["iri"], h.nodes[v]["iri"], a) for u, v, a in h.edges(data=True))
        _check(nodes, sigs, expected)


def test_igraph_reads_graphml(written, expected):
    igraph = pytest.importorskip("igraph")
    h = igraph.Graph.Read_GraphML(str(written["graphml"]))
    assert h.is_directed() and h.vcount() == len(expected[0]) and h.ecount() == sum(expected[1].values())
    nodes = {v["iri"]: {k: x for k, x in v.attributes().items() if k != "id"} for v in h.vs}
    assert {v["id"] for v in h.vs} == set(expected[2])  # the GraphML node ids
    sigs = Counter()
    for e in h.es:
        attrs = {k: x for k, x in e.attributes().items() if k != "id" and x is not None}
        sigs[_edge_sig(h.vs[e.source]["iri"], h.vs[e.target]["iri"], attrs)] += 1
    _check(nodes, sigs, expected, missing_bool_false=True)


def _graphology(fmt: str, path: Path) -> dict:
    if shutil.which("node") is None or not (JS / "node_modules" / "graphology").is_dir():
        pytest.skip("Node.js and tests/js/node_modules (npm ci in tests/js) are needed")
    proc = subprocess.run(
        ["node", str(JS / "load_graph.js"), fmt, str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphology_reads_both(written, expected, fmt):
    data = _graphology(fmt, written[fmt])
    assert data["type"] == "directed" and data["multi"] is True
    nodes = {}
    key_of = {}
    for n in data["nodes"]:
        a = dict(n["attributes"])
        colour = a.pop("color", "")  # graphology turns r, g, b (GraphML) and viz:color (GEXF) into `color`
        if "r" not in a and colour.startswith("#"):  # GraphML: "#rrggbb"
            a["r"], a["g"], a["b"] = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        if fmt == "gexf":  # viz:size and the z of viz:position, spread over the attributes by graphology-gexf
            a.pop("size", None)
            a.pop("z", None)
        nodes[a["iri"]] = a
        key_of[n["key"]] = a["iri"]
    assert set(key_of) == set(expected[2])
    assert len({e["key"] for e in data["edges"]}) == len(data["edges"])  # every edge kept under its own id
    sigs = Counter(_edge_sig(key_of[e["source"]], key_of[e["target"]], e["attributes"]) for e in data["edges"])
    _check(nodes, sigs, expected)
