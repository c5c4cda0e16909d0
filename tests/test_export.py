"""`export`: every format parses back to the same graph; TriG puts each triple once, in its sources' graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from qhelpers import FIXTURES

from ip5graph.cli import main
from ip5graph.kg.export import FORMATS, ONTOLOGY_GRAPH, SOURCES_GRAPH, export_text, triples_of
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import load_memory

ID = "https://w3id.org/ip5graph/id/"
IP5 = "https://w3id.org/ip5graph/ontology#"


@pytest.fixture(scope="module")
def triples() -> list[ox.Triple]:
    return triples_of(load_memory(Inputs.default([FIXTURES])))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml", "trig"])
def test_each_format_round_trips(triples: list[ox.Triple], fmt: str) -> None:
    data = export_text(triples, fmt)
    assert data == export_text(list(reversed(triples)), fmt)  # deterministic, whatever the input order
    back = {q.triple for q in ox.parse(data, format=FORMATS[fmt])}
    assert back == set(triples)


def test_trig_puts_triples_in_the_graph_of_their_source(triples: list[ox.Triple]) -> None:
    quads = list(ox.parse(export_text(triples, "trig"), format=ox.RdfFormat.TRIG))
    graphs: dict[str, set[str]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name.value, set()).add(q.subject.value)
    assert f"{ID}meeting/heads-2021" in graphs[f"{ID}source/s00b"]
    # a conflict's claims each sit in their own source's graph
    assert f"{ID}claim/c2-1" in graphs[f"{ID}source/s40"] and f"{ID}claim/c2-1" not in graphs[f"{ID}source/s30"]
    # a source's own description is in its own graph
    assert f"{ID}source/s30" in graphs[f"{ID}source/s30"]
    # unsourced subjects (the ontology) go to the ontology graph
    assert "https://w3id.org/ip5graph/ontology#Meeting" in graphs[ONTOLOGY_GRAPH]
    assert f"{ID}meeting/heads-2021" not in graphs[ONTOLOGY_GRAPH]
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)


@pytest.mark.parametrize("data", ["fixtures", "bundled"])
def test_trig_union_is_the_graph_with_no_duplicate(triples: list[ox.Triple], data: str) -> None:
    """A store whose default graph is the union of the named graphs shows each triple once."""
    if data == "bundled":
        triples = triples_of(load_memory(Inputs.default()))
    quads = list(ox.parse(export_text(triples, "trig"), format=ox.RdfFormat.TRIG))
    assert len(quads) == len(set(triples))  # no triple in two graphs
    assert {q.triple for q in quads} == set(triples)
    store = ox.Store()
    store.extend(quads)
    union = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    rows = [(r["s"], r["p"], r["o"]) for r in union]
    assert len(rows) == len(set(rows)) == len(set(triples))


def test_trig_graph_names_say_which_sources_state_the_triples(triples: list[ox.Triple]) -> None:
    # who states what: a statement record's statedIn/inferredFrom for the record and for its fact triple,
    # else the subject's dcterms:source
    sources: dict[str, set[str]] = {}
    record: dict[str, dict[str, ox.Term]] = {}
    by_record: dict[str, set[str]] = {}
    for t in triples:
        p, local = t.predicate.value, t.object.value.rsplit("/", 1)[-1]
        if p == "http://purl.org/dc/terms/source":
            sources.setdefault(t.subject.value, set()).add(local)
        elif p in (IP5 + "statedIn", IP5 + "inferredFrom"):
            by_record.setdefault(t.subject.value, set()).add(local)
        elif p in (IP5 + "statementSubject", IP5 + "statementProperty", IP5 + "statementValue"):
            record.setdefault(t.subject.value, {})[p] = t.object
    facts: dict[ox.Triple, set[str]] = {}
    for rec, srcs in by_record.items():
        sources.setdefault(rec, set()).update(srcs)
        parts = record.get(rec, {})
        if len(parts) == 3:
            fact = ox.Triple(*(parts[IP5 + k] for k in ("statementSubject", "statementProperty", "statementValue")))
            facts.setdefault(fact, set()).update(srcs)
    quads = list(ox.parse(export_text(triples, "trig"), format=ox.RdfFormat.TRIG))
    several = [q for q in quads if q.graph_name.value.startswith(SOURCES_GRAPH)]
    assert several, "the fixtures have subjects with more than one source"
    for q in several:
        named = set(q.graph_name.value[len(SOURCES_GRAPH) :].split("+"))
        assert len(named) > 1 and named == facts.get(q.triple, sources.get(q.subject.value))
    for q in quads:
        if q.graph_name.value.startswith(ID + "source/") and q.subject.value in sources:
            assert facts.get(q.triple, sources[q.subject.value]) == {q.graph_name.value.rsplit("/", 1)[-1]}


def test_cli_export_to_file_and_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture) -> None:
    out = tmp_path / "graph.trig"
    assert main(["export", "--format", "trig", "-o", str(out), "--data", str(FIXTURES)]) == 0
    graphs = {q.graph_name.value for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.TRIG)}
    # 8 sources (6 in sources.ttl, S186 and S226 in statistics.ttl), each its own graph; 3 pairs of sources
    # (s00a+s00b, s00b+s61, s30+s40); the ontology
    assert out.read_bytes().count(b"{") == len(graphs) == 12
    assert main(["export", "--format", "ttl", "--data", str(FIXTURES)]) == 0
    text = capsysbinary.readouterr().out.decode()
    assert "@prefix ip5: <https://w3id.org/ip5graph/ontology#>" in text
    assert len({q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)}) > 800


STATEMENTS = """
@prefix ip5: <https://w3id.org/ip5graph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix source: <https://w3id.org/ip5graph/id/source/> .
@prefix tenure: <https://w3id.org/ip5graph/id/tenure/> .
@prefix person: <https://w3id.org/ip5graph/id/person/> .
@prefix statement: <https://w3id.org/ip5graph/id/statement/> .
source:s1 a ip5:Source .
source:s2 a ip5:Source .
tenure:t ip5:holder person:p ; ip5:acting false ; ip5:title "Commissioner" ; dcterms:source source:s1 .
statement:t-holder a ip5:Statement ; ip5:statementSubject tenure:t ; ip5:statementProperty ip5:holder ;
    ip5:statementValue person:p ; ip5:statedIn source:s1, source:s2 .
statement:t-acting a ip5:Statement ; ip5:statementSubject tenure:t ; ip5:statementProperty ip5:acting ;
    ip5:statementValue false ; ip5:inferred true ; ip5:inferredFrom source:s2 .
"""


def test_trig_follows_statement_records() -> None:
    """Each fact in the graph of the sources its statement record names; the record with it; else the subject's."""
    triples = [q.triple for q in ox.parse(STATEMENTS.encode(), format=ox.RdfFormat.TURTLE)]
    graph_of = {
        (q.subject.value.rsplit("/", 1)[-1], q.predicate.value.rsplit("#", 1)[-1]): q.graph_name.value
        for q in ox.parse(export_text(triples, "trig"), format=ox.RdfFormat.TRIG)
    }
    assert graph_of[("t", "holder")] == SOURCES_GRAPH + "s1+s2"  # stated by both
    assert graph_of[("t", "acting")] == ID + "source/s2"  # inferred from s2 only
    assert graph_of[("t", "title")] == ID + "source/s1"  # no record: the subject's dcterms:source
    assert graph_of[("t-holder", "statedIn")] == SOURCES_GRAPH + "s1+s2"  # the record beside its fact
    assert graph_of[("s1", "type")] == ID + "source/s1"
