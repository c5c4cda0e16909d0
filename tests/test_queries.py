"""Every named query: answers on the bundled data, and the same rows on both engines."""

from __future__ import annotations

import pytest
from qhelpers import FIXTURES, rows_as_text

import ip5graph
from ip5graph.kg import resources
from ip5graph.query import catalogue

QUERIES = catalogue.catalogue()
HAS_DATA = bool(resources.data_files())


@pytest.fixture(scope="module")
def engines() -> dict[str, object]:
    data = None if HAS_DATA else [FIXTURES]
    return {e: ip5graph.open(data=data, engine=e) for e in ("oxigraph", "rdflib")}


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_same_rows_on_both_engines_and_not_empty(engines: dict, query: catalogue.NamedQuery) -> None:
    params = query.example_bindings()
    ox_result = engines["oxigraph"].query(query.name, **params)
    rd_result = engines["rdflib"].query(query.name, **params)
    assert ox_result.form == rd_result.form
    assert ox_result.variables == rd_result.variables
    assert rows_as_text(ox_result) == rows_as_text(rd_result)
    assert len(ox_result) >= 1, f"{query.name} has no answer on the bundled data"


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_same_rows_on_the_fixtures(fixture_kgs: dict, query: catalogue.NamedQuery) -> None:
    params = query.example_bindings()
    a = fixture_kgs["oxigraph"].query(query.name, **params)
    b = fixture_kgs["rdflib"].query(query.name, **params)
    assert rows_as_text(a) == rows_as_text(b)
    assert len(a) >= 1


def test_heads_on_a_date_in_the_fixtures(fixture_kgs: dict) -> None:
    r = fixture_kgs["oxigraph"].query("05-heads-on-date", date="2021-06-23")
    got = {(row[1].value.rsplit("/", 1)[1], row[2].value.rsplit("/", 1)[1], row[3].value) for row in r.rows}
    assert got == {("jpo", "kasutani-toshihide", "false"), ("uspto", "drew-hirshfeld", "true")}
    later = fixture_kgs["oxigraph"].query("05-heads-on-date", date="2021-07-02")
    assert later.rows == []  # Kasutani's tenure ended on 1 July 2021


@pytest.mark.skipif(not HAS_DATA, reason="needs the bundled graph data")
def test_showcase_answers_on_the_real_data(engines: dict) -> None:
    kg = engines["oxigraph"]
    meetings = kg.query("02-heads-meetings")
    ordinals = sorted({int(row[0].value) for row in meetings.rows if row[0] is not None})
    assert ordinals == list(range(1, 19))
    heads = kg.query("05-heads-on-date", date="2021-06-23")
    by_office = {row[1].value.rsplit("/", 1)[1]: row[2].value.rsplit("/", 1)[1] for row in heads.rows}
    assert by_office["jpo"] == "kasutani-toshihide"
    assert by_office["epo"] == "antonio-campinos"
    assert by_office["uspto"] == "drew-hirshfeld"
    conflicts = kg.query("14-conflicts")
    assert {row[0].value for row in conflicts.rows} >= {"C1", "C2"}
