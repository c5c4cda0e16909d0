"""Term conversion between the engines and compact display names."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from ip5graph.rdf.terms import compact, from_rdflib, sort_key, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_round_trip_between_rdflib_and_pyoxigraph() -> None:
    terms = [
        ox.NamedNode("https://w3id.org/ip5graph/id/office/jpo"),
        ox.Literal("特許庁", language="ja"),
        ox.Literal("2021-06", datatype=ox.NamedNode(XSD + "gYearMonth")),
        ox.Literal("plain"),
        ox.BlankNode("b1"),
    ]
    for t in terms:
        assert from_rdflib(to_rdflib(t)) == t
    assert from_rdflib(rdflib.Literal(3)) == ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))
    assert from_rdflib(None) is None


def test_compact_names() -> None:
    assert compact("https://w3id.org/ip5graph/id/meeting/heads-2021") == "meeting:heads-2021"
    assert compact("https://w3id.org/ip5graph/ontology#Meeting") == "ip5:Meeting"
    assert compact("http://www.w3.org/2000/01/rdf-schema#label") == "rdfs:label"
    assert compact("http://example.org/x y") == "http://example.org/x y"


def test_sort_key_is_total() -> None:
    terms = [ox.Literal("b"), None, ox.NamedNode("http://a"), ox.BlankNode("z"), ox.Literal("a", language="en")]
    ordered = sorted(terms, key=sort_key)
    assert ordered[0] is None and isinstance(ordered[1], ox.BlankNode) and isinstance(ordered[2], ox.NamedNode)
