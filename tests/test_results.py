"""Each output format, parsed back where a standard parser exists."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from ip5graph.errors import UsageError
from ip5graph.query.formats import to_table
from ip5graph.query.results import Result

XSD = "http://www.w3.org/2001/XMLSchema#"
SR = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def kg(fixture_kgs):
    return fixture_kgs["oxigraph"]


def sample() -> Result:
    """Every kind of term, an unbound cell, and text that needs escaping in each format."""
    rows = [
        (
            ox.NamedNode("https://w3id.org/ip5graph/id/office/jpo"),
            ox.Literal("特許庁", language="ja"),
            ox.Literal("14", datatype=ox.NamedNode(XSD + "integer")),
        ),
        (ox.BlankNode("b0"), ox.Literal('a "quoted" <tag> & | pipe,\tcomma\nnewline'), None),
    ]
    return Result("SELECT", ["node", "label", "n"], rows)


def test_json_is_sparql_results_json_and_round_trips() -> None:
    r = sample()
    text = r.to_json()
    doc = json.loads(text)
    assert doc["head"]["vars"] == ["node", "label", "n"]
    b = doc["results"]["bindings"]
    assert b[0]["node"] == {"type": "uri", "value": "https://w3id.org/ip5graph/id/office/jpo"}
    assert b[0]["label"] == {"type": "literal", "value": "特許庁", "xml:lang": "ja"}
    assert b[0]["n"]["datatype"] == XSD + "integer"
    assert "n" not in b[1] and b[1]["node"]["type"] == "bnode"
    back = list(ox.parse_query_results(text.encode(), ox.QueryResultsFormat.JSON))
    assert [tuple(s[v] for v in ("node", "label", "n")) for s in back][0] == r.rows[0]
    assert back[1]["label"] == r.rows[1][1]


def test_xml_is_sparql_results_xml_and_round_trips() -> None:
    r = sample()
    text = r.to_xml()
    root = ET.fromstring(text)
    assert [v.get("name") for v in root.find(f"{SR}head")] == ["node", "label", "n"]
    results = root.find(f"{SR}results").findall(f"{SR}result")
    assert len(results) == 2
    lit = results[0].find(f"{SR}binding[@name='label']/{SR}literal")
    assert lit.text == "特許庁" and lit.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    back = list(ox.parse_query_results(text.encode(), ox.QueryResultsFormat.XML))
    assert back[0]["node"] == r.rows[0][0] and back[1]["label"] == r.rows[1][1]
    assert back[1]["n"] is None


def test_csv_and_tsv() -> None:
    r = sample()
    rows = list(csv.reader(io.StringIO(r.to_csv(), newline="")))
    assert rows[0] == ["node", "label", "n"]
    assert rows[1] == ["https://w3id.org/ip5graph/id/office/jpo", "特許庁", "14"]
    assert rows[2][1] == 'a "quoted" <tag> & | pipe,\tcomma\nnewline' and rows[2][2] == ""
    assert r.to_csv().count("\r\n") >= 3
    tsv = r.to_tsv()
    assert tsv.splitlines()[0] == "?node\t?label\t?n"
    back = list(ox.parse_query_results(tsv.encode(), ox.QueryResultsFormat.TSV))
    assert back[0]["label"] == r.rows[0][1] and back[1]["label"] == r.rows[1][1]


def test_table_uses_labels_aligns_and_cuts(kg) -> None:
    r = kg.query("03-meeting-participants", meeting="meeting:heads-2021")
    table = r.to_table()
    assert "Kasutani Toshihide" in table and "https://" not in table
    lines = table.splitlines()
    assert lines[-1] == "(3 rows)"
    assert lines[0].split() == ["meeting", "participant", "role", "representing", "onBehalfOf", "capacity"]
    assert lines[0].index("participant") == lines[2].index("14th IP5 heads meeting") + len("14th IP5 heads meeting  ")
    narrow = r.to_table(width=60)
    assert all(len(line) <= 60 for line in narrow.splitlines())
    assert "…" in narrow


def test_table_counts_wide_characters_twice() -> None:
    r = Result("SELECT", ["a", "b"], [(ox.Literal("特許庁"), ox.Literal("x")), (ox.Literal("abc"), ox.Literal("y"))])
    lines = to_table(r).splitlines()
    # 3 wide characters take 6 columns: the second column starts at column 8 on both lines
    assert lines[2] == "特許庁  x"
    assert lines[3] == "abc     y"


def test_markdown_escapes_pipes() -> None:
    md = sample().to_md()
    assert md.splitlines()[0] == "| node | label | n |"
    assert "pipe" in md and "\\|" in md


def test_ask_in_each_format(kg) -> None:
    r = kg.query("ASK { ?m a <https://w3id.org/ip5graph/ontology#HeadsMeeting> }")
    assert r.form == "ASK" and r.boolean is True
    assert json.loads(r.to_json()) == {"head": {}, "boolean": True}
    assert ET.fromstring(r.to_xml()).find(f"{SR}boolean").text == "true"
    assert bool(ox.parse_query_results(r.to_json().encode(), ox.QueryResultsFormat.JSON)) is True
    assert r.to_table().split() == ["boolean", "-------", "true"]


def test_construct_formats_round_trip(kg) -> None:
    r = kg.query("18-meeting-graph", meeting="meeting:heads-2021")
    assert r.is_graph and len(r.triples) > 20
    expected = set(r.triples)
    for fmt, rdf in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)):
        text = r.serialize(fmt)
        assert {q.triple for q in ox.parse(text.encode(), format=rdf)} == expected, fmt
    assert "@prefix meeting: <https://w3id.org/ip5graph/id/meeting/>" in r.to_ttl()
    assert "Kasutani Toshihide" in r.to_table()
    with pytest.raises(UsageError, match="does not suit a CONSTRUCT"):
        r.serialize("csv")
    with pytest.raises(UsageError, match="does not suit a SELECT"):
        kg.query("01-offices").serialize("ttl")


def test_output_is_identical_across_engines(fixture_kgs) -> None:
    ox_kg, rd_kg = fixture_kgs["oxigraph"], fixture_kgs["rdflib"]
    for name, params in (("02-heads-meetings", {}), ("03", {"meeting": "meeting:heads-2021"})):
        a, b = ox_kg.query(name, **params), rd_kg.query(name, **params)
        for fmt in ("table", "csv", "tsv", "json", "xml", "md"):
            assert a.serialize(fmt) == b.serialize(fmt), (name, fmt)


class _CountingEndpoint(http.server.BaseHTTPRequestHandler):
    """A fake SPARQL endpoint that counts its requests: one office, whose label it also knows."""

    requests: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        text = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        type(self).requests.append(text)
        jpo = {"type": "uri", "value": "https://w3id.org/ip5graph/id/office/jpo"}
        if "VALUES ?s" in text:  # the label lookup
            label = {"type": "literal", "value": "Japan Patent Office", "xml:lang": "en"}
            body = {"head": {"vars": ["s", "l"]}, "results": {"bindings": [{"s": jpo, "l": label}]}}
        else:
            body = {"head": {"vars": ["office"]}, "results": {"bindings": [{"office": jpo}]}}
        data = json.dumps(body).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_printing_a_remote_table_sends_no_request() -> None:
    """Labels travel with the result: the endpoint hears from us when the query runs, never while a
    table is printed (and a CSV, which shows no labels, costs no label lookup at all)."""
    from ip5graph.query import parameters
    from ip5graph.query.engines.remote import RemoteEngine
    from ip5graph.serve import client

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        engine = RemoteEngine(client.remote(f"http://127.0.0.1:{server.server_address[1]}"))
        prepared = parameters.prepare_text("SELECT ?office WHERE { ?office a ?class }", {})
        result = engine.run(prepared)
        asked = len(_CountingEndpoint.requests)
        assert asked == 2  # the query and its labels
        assert "Japan Patent Office" in result.to_table() and "Japan Patent Office" in result.to_md()
        assert len(_CountingEndpoint.requests) == asked  # printing asked nothing
        engine.run(prepared, with_labels=False).to_csv()
        assert len(_CountingEndpoint.requests) == asked + 1
    finally:
        server.shutdown()
        server.server_close()
