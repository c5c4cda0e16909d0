"""Names as they were (22-name-on-date, hostThen in 02-heads-meetings) and the lines of heads."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef

import ip5graph
from ip5graph.kg import resources

IP5 = Namespace("https://w3id.org/ip5graph/ontology#")
ID = "https://w3id.org/ip5graph/id/"
pytestmark = pytest.mark.skipif(not resources.data_files(), reason="needs the bundled graph data")


@pytest.fixture(scope="module")
def kg(bundled_kgs: dict[str, ip5graph.KnowledgeGraph]) -> ip5graph.KnowledgeGraph:
    return bundled_kgs["oxigraph"]


@pytest.fixture(scope="module")
def data(data_rdflib: Graph) -> Graph:
    return data_rdflib


def names_on(kg: ip5graph.KnowledgeGraph, entity: str, date: str, engine: str = "oxigraph") -> set[tuple]:
    kg = kg if engine == "oxigraph" else ip5graph.open(engine=engine)
    r = kg.query("22-name-on-date", entity=entity, date=date)
    return {(row[2].value, row[3] and row[3].value, row[7].value) for row in r.rows}


@pytest.mark.parametrize(
    ("entity", "date", "expected"),
    [
        # dossier §4.1 (S-falv, S83): SIPO from 1998; C13 (S82, S-worddisk): CNIPA from 28 August 2018
        ("office:cnipa", "2010-04-15", {("State Intellectual Property Office", "SIPO", "false")}),
        ("office:cnipa", "2018-08-27", {("State Intellectual Property Office", "SIPO", "false")}),
        ("office:cnipa", "1990-01-01", {("Patent Office of the People's Republic of China", None, "false")}),
        # the year of the 1998 rename is read at its precision: flagged
        ("office:cnipa", "1998-03-01", {("State Intellectual Property Office", "SIPO", "true")}),
        # S88: KIPO a ministry from 1 October 2025
        (
            "office:kipo",
            "2025-09-30",
            {("Korean Intellectual Property Office", "KIPO", "false"), ("특허청", "KIPO", "false")},
        ),
        (
            "office:kipo",
            "2025-10-01",
            {("Ministry of Intellectual Property", "MOIP", "false"), ("지식재산처", "MOIP", "false")},
        ),
        ("office:kipo", "1999-06-01", {("Korean Industrial Property Office", None, "false")}),
        # S-jawiki: 特許庁 from 25 May 1949
        ("office:jpo", "1949-05-24", {("特許局", None, "false")}),
    ],
)
def test_name_valid_on_a_date(kg, entity: str, date: str, expected: set) -> None:
    assert names_on(kg, entity, date) == expected


def test_name_on_date_agrees_on_rdflib(kg) -> None:
    for entity, date in (("office:cnipa", "2018-09-01"), ("office:kipo", "2025-10-01")):
        assert names_on(kg, entity, date) == names_on(kg, entity, date, engine="rdflib")


def test_name_periods_of_an_organisation_do_not_overlap_and_meet(data: Graph) -> None:
    by_org: dict[str, list[tuple[str, str]]] = {}
    for rec in data.subjects(IP5.nameOf, None):
        org = str(data.value(rec, IP5.nameOf))
        start, until = data.value(rec, IP5.validFrom), data.value(rec, IP5.validUntil)
        by_org.setdefault(org, []).append(("" if start is None else str(start), "" if until is None else str(until)))
    assert set(by_org) >= {ID + "office/cnipa", ID + "office/kipo", ID + "office/jpo"}
    for org, periods in by_org.items():
        periods.sort()
        for (_, until), (next_from, _) in zip(periods, periods[1:]):
            assert until == next_from, org  # one name ends the day the next begins
        assert [p for p in periods if p[1] == ""] == [periods[-1]], org  # only the last one is open


def test_name_changes_agree_with_the_name_periods(data: Graph) -> None:
    """A name-change node's date is the day its new name begins (for the renames the names cover)."""
    for change, new_name in [("cnipa-2018", "cnipa-cnipa"), ("kipo-2025", "kipo-moip"), ("jpo-1949", "jpo-jpo")]:
        date = data.value(URIRef(ID + "name-change/" + change), IP5.date)
        start = data.value(URIRef(ID + "org-name/" + new_name), IP5.validFrom)
        assert str(date) == str(start), change


def test_heads_meetings_show_the_host_name_of_their_time(kg) -> None:
    r = kg.query("02-heads-meetings")
    names = r.variables.index("hostThen")
    by_ordinal = {int(row[0].value): row[names].value for row in r.rows}
    assert by_ordinal[3] == "SIPO (now CNIPA)"  # Guilin 2010: SIPO until 2018
    assert by_ordinal[8] == "SIPO (now CNIPA)"  # Suzhou 2015
    assert by_ordinal[13] == "CNIPA"  # videoconference July 2020
    assert by_ordinal[17] == "KIPO (now MOIP)"  # Seoul 2024
    assert by_ordinal[14] == "JPO"


# ------------------------------------------------------------------ lines of heads


def test_every_successor_link_has_its_inverse_and_stays_in_one_office(data: Graph) -> None:
    pairs = set(data.subject_objects(IP5.successor))
    assert len(pairs) >= 30
    assert pairs == {(b, a) for a, b in data.subject_objects(IP5.predecessor)}
    for a, b in pairs:
        assert data.value(a, IP5.organization) == data.value(b, IP5.organization), (a, b)


def test_a_line_goes_forward_in_time(data: Graph) -> None:
    def key(t: URIRef) -> str:
        dates = [str(x) for p in (IP5.startDate, IP5.inOfficeOn, IP5.endDate) for x in data.objects(t, p)]
        return min(dates)

    for a, b in data.subject_objects(IP5.successor):
        assert key(a) < key(b), (a, b)


def test_no_tenure_has_two_successors_or_two_predecessors(data: Graph) -> None:
    for p in (IP5.successor, IP5.predecessor):
        subjects = [s for s, _ in data.subject_objects(p)]
        assert len(subjects) == len(set(subjects)), p


def test_each_link_is_sourced_or_marked_inferred(data: Graph) -> None:
    """Every predecessor/successor triple has a statement: stated in a source, or inferred with its basis."""
    stated = inferred = 0
    for p in (IP5.successor, IP5.predecessor):
        for a, b in data.subject_objects(p):
            st = [
                s
                for s in data.subjects(IP5.statementSubject, a)
                if data.value(s, IP5.statementProperty) == p and data.value(s, IP5.statementValue) == b
            ]
            assert len(st) == 1, (a, p, b)
            if data.value(st[0], IP5.inferred).toPython():
                assert list(data.objects(st[0], IP5.inferredFrom)), st[0]
                inferred += 1
            else:
                assert list(data.objects(st[0], IP5.statedIn)), st[0]
                stated += 1
    assert stated >= 20 and inferred >= 40


@pytest.mark.parametrize(
    ("tenure", "prop", "value"),
    [
        ("uspto-kathi-vidal", "confirmationDate", "2022-04-05"),  # S68
        ("uspto-michelle-k-lee", "confirmationDate", "2015-03-09"),  # S70
        ("uspto-andrei-iancu", "confirmationDate", "2018-02-05"),  # S63
        ("uspto-john-a-squires", "hearingDate", "2025-05-21"),  # S250
        ("uspto-john-a-squires", "confirmationDate", "2025-09-18"),  # S251 (C30)
        ("uspto-john-a-squires", "inaugurationDate", "2025-09-22"),  # S65
        ("kipo-choi-dong-kyu", "appointmentDate", "2015-05-06"),  # S261
        ("kipo-choi-dong-kyu", "inaugurationDate", "2015-05-12"),  # S263
        ("kipo-kim-ho-won", "appointmentDate", "2012-04-26"),  # S258
        ("kipo-kim-yong-sun", "inaugurationDate", "2025-11-05"),  # S255
    ],
)
def test_dated_steps_of_a_tenure_are_their_own_properties(data: Graph, tenure: str, prop: str, value: str) -> None:
    assert [str(v) for v in data.objects(URIRef(ID + "tenure/" + tenure), IP5[prop])] == [value]


def test_the_start_of_a_term_is_not_the_confirmation(data: Graph) -> None:
    vidal = URIRef(ID + "tenure/uspto-kathi-vidal")
    assert str(data.value(vidal, IP5.startDate)) == "2022-04-13"
    assert str(data.value(vidal, IP5.confirmationDate)) == "2022-04-05"
