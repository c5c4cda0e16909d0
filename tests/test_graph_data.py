"""The knowledge itself: the shipped ontology and graph data.

Each seed fact has a query of its own; class counts are checked against the dossier's tables;
the data contract (SHACL), the canonical form and round-tripping are checked on the real files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ip5graph.rdf import canonical
from ip5graph.rdf.namespaces import sparql_prefixes

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
DATA = sorted((ROOT / "graph_data").glob("*.ttl"))
SHAPES = ROOT / "ontology" / "shapes.ttl"
ID = "https://w3id.org/ip5graph/id/"
IP5 = "https://w3id.org/ip5graph/ontology#"


@pytest.fixture(scope="module")
def data_graph(data_rdflib: Graph) -> Graph:
    return data_rdflib


@pytest.fixture(scope="module")
def merged() -> Graph:
    """Ontology (without shapes) plus data: what reasoners and SHACL see."""
    g = Graph()
    for f in ONTOLOGY:
        if f != SHAPES:
            g.parse(f, format="turtle")
    for f in DATA:
        g.parse(f, format="turtle")
    return g


def ask(g: Graph, body: str) -> bool:
    return bool(g.query(sparql_prefixes() + "ASK {" + body + "}").askAnswer)


def count(g: Graph, body: str) -> int:
    rows = list(g.query(sparql_prefixes() + "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {" + body + "}"))
    return int(rows[0][0])


# ------------------------------------------------------------------ files and form


def test_the_expected_files_are_shipped() -> None:
    assert [f.name for f in ONTOLOGY] == [
        "alignments.ttl",
        "ip5.ttl",
        "shapes.ttl",
        "statistics.ttl",
        "vocabularies.ttl",
    ]
    assert [f.name for f in DATA] == [
        "application-shares.ttl",
        "heads-addendum.ttl",
        "initiatives.ttl",
        "meetings-addendum.ttl",
        "meetings.ttl",
        "names.ttl",
        "organizations.ttl",
        "participations-heads-meetings.ttl",
        "participations-other-meetings.ttl",
        "people.ttl",
        "places.ttl",
        "sources-addendum.ttl",
        "sources-encyclopedic.ttl",
        "sources-official.ttl",
        "sources-secondary.ttl",
        "statements-application-shares.ttl",
        "statements-heads-addendum.ttl",
        "statements-initiatives.ttl",
        "statements-meetings-addendum.ttl",
        "statements-meetings.ttl",
        "statements-names.ttl",
        "statements-organizations.ttl",
        "statements-participations-heads-meetings.ttl",
        "statements-participations-other-meetings.ttl",
        "statements-people.ttl",
        "statements-places.ttl",
        "statements-tenure-lines-1.ttl",
        "statements-tenure-lines-2.ttl",
        "statements-tenures.ttl",
        "statements-working-groups-1.ttl",
        "statements-working-groups-2.ttl",
        "statistics-cnipa-jpo.ttl",
        "statistics-conflicts.ttl",
        "statistics-epo-kipo-uspto.ttl",
        "statistics-ip5.ttl",
        "statistics-world.ttl",
        "tenure-lines.ttl",
        "tenures.ttl",
        "working-groups.ttl",
    ]


@pytest.mark.parametrize("path", ONTOLOGY + DATA, ids=lambda p: p.name)
def test_file_is_in_canonical_form(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == canonical.canonical_text(path), (
        f"run: python -m ip5graph.rdf.canonical --write {path.relative_to(ROOT)}"
    )


@pytest.mark.parametrize("path", ONTOLOGY + DATA, ids=lambda p: p.name)
def test_parse_serialize_parse_is_isomorphic(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    again = Graph().parse(data=canonical.serialize(g), format="turtle")
    assert len(g) > 0
    assert isomorphic(g, again)
    via_rdflib = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    # rdflib's own serializer writes "90"^^xsd:decimal as 90.0: the same value, another lexical form
    assert isomorphic(canonical_decimals(g), canonical_decimals(via_rdflib))


def canonical_decimals(g: Graph) -> Graph:
    from rdflib.namespace import XSD

    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            d = o.toPython().normalize()
            o = Literal(str(int(d)) if d == d.to_integral_value() else format(d, "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_no_blank_nodes_in_the_data(data_graph: Graph) -> None:
    blanks = {t for triple in data_graph for t in triple if isinstance(t, BNode)}
    assert blanks == set()


def test_every_data_iri_follows_the_scheme(data_graph: Graph) -> None:
    import re

    pattern = re.compile(r"^https://w3id\.org/ip5graph/id/[a-z0-9-]+/[a-z0-9]+(-[a-z0-9]+)*$")
    subjects = {s for s in data_graph.subjects() if isinstance(s, URIRef)}
    bad = sorted(str(s) for s in subjects if not pattern.match(str(s)))
    assert bad == []


# ------------------------------------------------------------------ the contract


def test_shapes_conform(merged: Graph) -> None:
    import pyshacl

    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _, text = pyshacl.validate(merged, shacl_graph=shapes, inference="none", advanced=True)
    assert conforms, text[:4000]


def test_shapes_reject_a_broken_tenure() -> None:
    """On the small hand-written fixtures (valid: see test_validate), so SHACL runs in seconds."""
    import pyshacl

    shapes = Graph().parse(SHAPES, format="turtle")
    broken = Graph()
    for f in [*ONTOLOGY, *sorted((ROOT / "tests" / "fixtures" / "data").glob("*.ttl"))]:
        if f != SHAPES:
            broken.parse(f, format="turtle")
    tenure = URIRef(ID + "tenure/broken")
    broken.update(
        sparql_prefixes() + f'INSERT DATA {{ <{tenure}> a ip5:Tenure ; rdfs:label "broken"@en ;'
        f" dcterms:source <{ID}source/s00b> . }}"
    )
    conforms, report, _ = pyshacl.validate(broken, shacl_graph=shapes, inference="none", advanced=True)
    assert not conforms
    focus = {str(o) for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode"))}
    assert (
        str(tenure) in focus
    )  # the fixtures themselves lack statements (SourcedFact) until the stmt model reaches them


def test_every_fact_node_is_labelled_and_sourced(data_graph: Graph) -> None:
    rows = data_graph.query(
        sparql_prefixes()
        + """SELECT DISTINCT ?s WHERE {
            ?s a ?c .
            FILTER (?c != ip5:Source && ?c != ip5:Statement && ?c != skos:Concept && ?c != skos:ConceptScheme)
            FILTER NOT EXISTS { ?s rdfs:label ?l . ?s dcterms:source ?src . ?src a ip5:Source }
        }"""
    )
    assert [str(r[0]) for r in rows] == []


def test_every_source_reference_resolves(data_graph: Graph) -> None:
    rows = data_graph.query(
        sparql_prefixes()
        + "SELECT DISTINCT ?src WHERE { ?s dcterms:source ?src FILTER NOT EXISTS { ?src a ip5:Source } }"
    )
    assert [str(r[0]) for r in rows] == []


def test_every_object_node_is_described(merged: Graph) -> None:
    """No dangling links: each data IRI used as an object has a type somewhere."""
    rows = merged.query(
        sparql_prefixes()
        + f"""SELECT DISTINCT ?o WHERE {{
            ?s ?p ?o . FILTER (isIRI(?o) && STRSTARTS(STR(?o), "{ID}"))
            FILTER NOT EXISTS {{ ?o a ?type }}
        }}"""
    )
    assert sorted(str(r[0]) for r in rows) == []


def test_native_labels_use_valid_language_tags(data_graph: Graph) -> None:
    tags = {o.language for o in data_graph.objects() if isinstance(o, Literal) and o.language}
    assert tags, "expected language-tagged labels"
    assert tags <= {"en", "ja", "zh", "ko", "de", "zh-hant", "zh-Hant", "fr", "es", "pt"}
    assert {"ja", "zh", "ko"} <= tags


# ------------------------------------------------------------------ counts against the dossier


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        ("ip5:PatentOffice", 5),  # JPO, USPTO, EPO, CNIPA, KIPO
        ("ip5:IndustryAssociation", 6),  # AIPLA, IPO, JIPA, KINPA, PPAC, BusinessEurope
        ("ip5:WorkingGroup", 4),  # WG1-WG3 (seed S00a) and the statistics working group (addendum C.7)
        ("ip5:HeadsMeeting", 18),  # dossier §1.1: 2007-2025 without 2009
        ("ip5:DeputyHeadsMeeting", 6),  # dossier §1.3 and addendum B.4 (2021)
        ("ip5:Source", 298),  # dossier §7: 184 rows, three with two stored versions; addendum §G: 111 rows
    ],
)
def test_class_counts_match_the_dossier(data_graph: Graph, cls: str, expected: int) -> None:
    assert count(data_graph, f"?x a {cls}") == expected


def test_heads_meetings_have_ordinals_one_to_eighteen(data_graph: Graph) -> None:
    rows = data_graph.query(sparql_prefixes() + "SELECT ?o WHERE { ?m a ip5:HeadsMeeting ; ip5:ordinal ?o }")
    assert sorted(int(r[0]) for r in rows) == list(range(1, 19))


def test_conflicts_of_the_dossier_are_all_modelled(data_graph: Graph) -> None:
    rows = data_graph.query(sparql_prefixes() + "SELECT ?id WHERE { ?c a ip5:Conflict ; ip5:conflictId ?id }")
    ids = sorted(str(r[0]) for r in rows)
    # C22, C23 and C27 are figures (statistics); C24, C28 and C33 are left out (see the statistics note);
    # C31/C32 have no property to state them on
    assert ids == sorted([f"C{i}" for i in range(1, 22)] + ["C22", "C23", "C25", "C26", "C27", "C29", "C30"])


def test_inferred_ordinals_are_typed_as_inferred(data_graph: Graph) -> None:
    # 2018's ordinal is stated since the addendum (S239)
    for year, ordinal in [(2010, 3), (2012, 5), (2013, 6), (2022, 15)]:
        assert ask(
            data_graph,
            f"""?c a ip5:Statement ; ip5:statementSubject <{ID}meeting/heads-{year}> ;
                   ip5:statementProperty ip5:ordinal ; ip5:inferred true ; ip5:inferredFrom ?basis ;
                   ip5:statementValue ?v .
                FILTER (STR(?v) = "{ordinal}")""",
        ), year


def test_conflicting_values_are_kept_side_by_side(data_graph: Graph) -> None:
    # C2: the 13th meeting on 21 July 2020 (CNIPA) against 23 July 2020 (KIPO/EPO items)
    rows = data_graph.query(
        sparql_prefixes()
        + """SELECT ?v ?rank ?src WHERE {
            ?c ip5:conflictId "C2" ; ip5:hasStatement ?st .
            ?st ip5:statementProperty ip5:startDate ; ip5:statementValue ?v ; ip5:rank ?rank ; ip5:statedIn ?src .
        }"""
    )
    values = {(str(r[0]), str(r[1]).rsplit("/", 1)[1]) for r in rows}
    assert values == {("2020-07-21", "preferred"), ("2020-07-23", "normal")}
    by_value = {(str(r[0]), str(r[2]).rsplit("/", 1)[1]) for r in rows}
    assert ("2020-07-21", "s40") in by_value and ("2020-07-23", "s30") in by_value
    assert ("2020-07-21", "s30") not in by_value
    # the graph uses the preferred value
    assert ask(data_graph, f'<{ID}meeting/heads-2020> ip5:startDate "2020-07-21"^^xsd:date')
    assert not ask(data_graph, f'<{ID}meeting/heads-2020> ip5:startDate "2020-07-23"^^xsd:date')


# ------------------------------------------------------------------ seed S00b: the 14th heads meeting


S00B = f"<{ID}source/s00b>"
S00A = f"<{ID}source/s00a>"
M2021 = f"<{ID}meeting/heads-2021>"


def test_seed_14th_meeting_date_format_host_and_source(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""{M2021} a ip5:HeadsMeeting ; ip5:ordinal 14 ; ip5:startDate "2021-06-23"^^xsd:date ;
            ip5:format <{ID}format/videoconference> ; ip5:host <{ID}office/jpo> ;
            dcterms:source {S00B} .""",
    )


def test_seed_14th_meeting_chaired_by_kasutani_as_jpo_commissioner(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""{M2021} ip5:chair ?p . ?p rdfs:label "Kasutani Toshihide"@en .
            ?x a ip5:Participation ; ip5:meeting {M2021} ; ip5:participant ?p ; ip5:role <{ID}role/chair> ;
               ip5:representing <{ID}office/jpo> ; ip5:capacity ?cap ; dcterms:source {S00B} .
            FILTER (CONTAINS(STR(?cap), "Commissioner"))""",
    )


@pytest.mark.parametrize(
    ("name", "office", "capacity_word"),
    [
        ("António Campinos", "epo", "President"),
        ("Kim Yongrae", "kipo", "Commissioner"),
        ("Shen Changyu", "cnipa", "Commissioner"),
    ],
)
def test_seed_14th_meeting_heads_of_delegation(data_graph: Graph, name: str, office: str, capacity_word: str) -> None:
    assert ask(
        data_graph,
        f"""?x a ip5:Participation ; ip5:meeting {M2021} ; ip5:participant ?p ;
               ip5:role <{ID}role/head-of-delegation> ; ip5:representing <{ID}office/{office}> ;
               ip5:capacity ?cap ; dcterms:source {S00B} .
            ?p rdfs:label "{name}"@en .
            FILTER (CONTAINS(STR(?cap), "{capacity_word}"))""",
    )


def test_seed_acting_uspto_head_in_his_stated_capacity(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""?x ip5:meeting {M2021} ; ip5:participant ?p ; ip5:role <{ID}role/acting-head-of-delegation> ;
               ip5:representing <{ID}office/uspto> ; ip5:capacity ?cap ; dcterms:source {S00B} .
            ?p rdfs:label "Drew Hirshfeld"@en .
            FILTER (STRSTARTS(STR(?cap), "Performing the functions and duties"))""",
    )
    # and his tenure is flagged acting
    assert ask(
        data_graph,
        f"""?t a ip5:Tenure ; ip5:holder ?p ; ip5:organization <{ID}office/uspto> ; ip5:acting true .
            ?p rdfs:label "Drew Hirshfeld"@en .""",
    )


def test_seed_wipo_observer_and_deputy_on_behalf_of_director_general(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""?o ip5:meeting {M2021} ; ip5:participant <{ID}organization/wipo> ; ip5:role <{ID}role/observer> ;
               dcterms:source {S00B} .""",
    )
    assert ask(
        data_graph,
        f"""?x ip5:meeting {M2021} ; ip5:participant ?lisa ; ip5:role <{ID}role/observer> ;
               ip5:representing <{ID}organization/wipo> ; ip5:onBehalfOf ?daren ; ip5:capacity ?cap ;
               dcterms:source {S00B} .
            ?lisa rdfs:label "Lisa Jorgenson"@en . ?daren rdfs:label "Daren Tang"@en .
            FILTER (CONTAINS(STR(?cap), "Deputy Director General"))""",
    )


def test_seed_daren_tang_is_wipo_director_general(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""?t a ip5:Tenure ; ip5:holder ?p ; ip5:organization <{ID}organization/wipo> ; ip5:acting false .
            ?p rdfs:label "Daren Tang"@en .""",
    )


def test_seed_the_other_four_offices_attended(data_graph: Graph) -> None:
    n = count(
        data_graph,
        f"?p ip5:meeting {M2021} ; ip5:representing ?x . ?x a ip5:PatentOffice . FILTER (?x != <{ID}office/jpo>)",
    )
    assert n == 4


def test_seed_2021_outcomes_roadmap_and_two_projects(data_graph: Graph) -> None:
    rows = data_graph.query(
        sparql_prefixes()
        + f"SELECT ?x ?label WHERE {{ ?x ip5:outcomeOf {M2021} ; rdfs:label ?label ; dcterms:source {S00B} . "
        "FILTER (LANG(?label) = 'en') }"
    )
    labels = " | ".join(sorted(str(r[1]) for r in rows)).lower()
    assert "roadmap" in labels
    assert "assignment" in labels
    assert "drawings" in labels


def test_seed_separate_heads_industry_meeting_with_six_associations(data_graph: Graph) -> None:
    m = f"<{ID}meeting/heads-industry-2021>"
    assert ask(data_graph, f"{m} a ip5:HeadsIndustryMeeting ; ip5:partOfSeries {M2021} ; dcterms:source {S00B} .")
    n = count(
        data_graph,
        f"?p ip5:meeting {m} ; ip5:participant ?x ; dcterms:source {S00B} . ?x a ip5:IndustryAssociation .",
    )
    assert n == 6


def test_seed_next_meeting_hosted_by_epo_in_2022(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""{M2021} ip5:nextMeeting ?n . ?n ip5:host <{ID}office/epo> ; ip5:startDate ?d ; dcterms:source {S00B} .
            FILTER (STRSTARTS(STR(?d), "2022"))""",
    )


def test_seed_share_of_worldwide_applications_about_80_percent(data_graph: Graph) -> None:
    for src in (S00A, S00B):
        assert ask(
            data_graph,
            f"?s ip5:refArea <{ID}forum/ip5> ; ip5:shareOfWorldApplications 80 ; dcterms:source {src} .",
        ), src


def test_seed_ip5_launched_2007_with_five_member_offices(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f'<{ID}forum/ip5> a ip5:Forum ; ip5:foundingDate "2007"^^xsd:gYear ; dcterms:source {S00A}, {S00B} .',
    )
    assert count(data_graph, f"?x org:memberOf <{ID}forum/ip5> ; a ip5:PatentOffice .") == 5


# ------------------------------------------------------------------ seed S00a: the JPO overview page


def test_seed_three_working_groups(data_graph: Graph) -> None:
    rows = data_graph.query(
        sparql_prefixes() + f"SELECT ?l WHERE {{ ?w a ip5:WorkingGroup ; org:subOrganizationOf <{ID}forum/ip5> ; "
        f"rdfs:label ?l ; dcterms:source {S00A} . FILTER (LANG(?l) = 'en') }}"
    )
    labels = " ".join(sorted(str(r[0]) for r in rows))
    for word in ("Classification", "Information Technology", "Examination"):
        assert word in labels


def test_seed_first_ten_years_focus_and_2017_vision_with_four_aims(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"?v ip5:kind <{ID}kind/vision> ; ip5:hasAim ?a ; dcterms:source {S00A} . ?v ip5:outcomeOf <{ID}meeting/heads-2008> .",
    )
    n = count(
        data_graph,
        f"<{ID}meeting/heads-2017> ^ip5:outcomeOf ?v . ?v ip5:kind <{ID}kind/vision> ; ip5:hasAim ?x ; dcterms:source {S00A} .",
    )
    assert n == 4
    assert ask(
        data_graph, f'<{ID}meeting/heads-2017> ip5:ordinal 10 ; ip5:startDate ?d . FILTER (STRSTARTS(STR(?d), "2017"))'
    )


def test_seed_first_meeting_with_ip5_industry_in_2012(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""<{ID}meeting/heads-industry-2012> a ip5:HeadsIndustryMeeting ; ip5:startDate ?d ; dcterms:source {S00A} .
            FILTER (STRSTARTS(STR(?d), "2012"))""",
    )


def test_seed_six_industry_associations_form_ip5_industry(data_graph: Graph) -> None:
    rows = data_graph.query(
        sparql_prefixes()
        + f"SELECT ?abbr WHERE {{ ?a a ip5:IndustryAssociation ; org:memberOf <{ID}forum/ip5-industry> ; "
        f"ip5:abbreviation ?abbr ; dcterms:source {S00A} . }}"
    )
    assert sorted(str(r[0]) for r in rows) == ["AIPLA", "BE", "IPO", "JIPA", "KINPA", "PPAC"]


def test_seed_jpo_contact_unit(data_graph: Graph) -> None:
    assert ask(
        data_graph,
        f"""<{ID}office/jpo> ip5:contactPoint ?c ; dcterms:source {S00A} .
            FILTER (CONTAINS(STR(?c), "International Policy Division"))""",
    )


def test_seed_native_names_of_the_offices(data_graph: Graph) -> None:
    assert ask(data_graph, f'<{ID}office/jpo> rdfs:label "特許庁"@ja .')
    assert ask(data_graph, f'<{ID}office/cnipa> rdfs:label "国家知识产权局"@zh .')
    assert ask(data_graph, f'<{ID}office/kipo> rdfs:label ?l . FILTER (LANG(?l) = "ko")')


# ------------------------------------------------------------------ seed facts, each stated in its seed


def stated_in(g: Graph, subject: str, prop: str, value: str, source: str) -> bool:
    return ask(
        g,
        f"""{subject} {prop} {value} .
            ?st ip5:statementSubject {subject} ; ip5:statementProperty {prop} ; ip5:statementValue {value} ;
                ip5:statedIn {source} .""",
    )


@pytest.mark.parametrize(
    ("subject", "prop", "value", "source"),
    [
        (M2021, "ip5:startDate", '"2021-06-23"^^xsd:date', S00B),
        (M2021, "ip5:host", f"<{ID}office/jpo>", S00B),
        (M2021, "ip5:chair", f"<{ID}person/kasutani-toshihide>", S00B),
        (M2021, "ip5:format", f"<{ID}format/videoconference>", S00B),
        (f"<{ID}forum/ip5>", "ip5:foundingDate", '"2007"^^xsd:gYear', S00A),
        (f"<{ID}association/businesseurope>", "org:memberOf", f"<{ID}forum/ip5-industry>", S00A),
    ],
)
def test_seed_facts_are_stated_in_the_seed(data_graph: Graph, subject: str, prop: str, value: str, source: str) -> None:
    assert stated_in(data_graph, subject, prop, value, source)


# ------------------------------------------------------------------ audit findings (issue 9)


def test_audit_businesseurope_abbreviation_is_be_as_both_seeds_give_it(data_graph: Graph) -> None:
    be = f"<{ID}association/businesseurope>"
    assert [
        str(o) for o in data_graph.objects(URIRef(ID + "association/businesseurope"), URIRef(IP5 + "abbreviation"))
    ] == ["BE"]
    assert stated_in(data_graph, be, "ip5:abbreviation", '"BE"', S00A)
    assert stated_in(data_graph, be, "ip5:abbreviation", '"BE"', S00B)


@pytest.mark.parametrize(("ordinal", "year"), [(1, 2007), (4, 2011), (7, 2014), (9, 2016), (13, 2020), (15, 2022)])
def test_audit_outcomes_of_the_meeting_are_triples_with_their_sources(
    data_graph: Graph, ordinal: int, year: int
) -> None:
    rows = data_graph.query(
        sparql_prefixes()
        + f"""SELECT ?x ?src WHERE {{ <{ID}meeting/heads-{year}> ip5:ordinal {ordinal} . ?x ip5:outcomeOf <{ID}meeting/heads-{year}> .
            ?st ip5:statementSubject ?x ; ip5:statementProperty ip5:outcomeOf ; ip5:statementValue <{ID}meeting/heads-{year}> ;
                ip5:statedIn ?src . ?src a ip5:Source }}"""
    )
    assert len(rows) >= 1, year


def test_audit_ip5_pph_pilot_is_an_outcome_of_the_6th_meeting(data_graph: Graph) -> None:
    pilot = f"<{ID}initiative/ip5-pph-pilot>"
    assert stated_in(data_graph, pilot, "ip5:outcomeOf", f"<{ID}meeting/heads-2013>", f"<{ID}source/s20>")
    assert ask(data_graph, f"<{ID}meeting/heads-2013> ip5:ordinal 6")
    assert ask(data_graph, f"{pilot} ip5:outcomeOf <{ID}meeting/geneva-2013>")


def test_audit_chair_and_chair_participations_agree(data_graph: Graph) -> None:
    """Every meeting's ip5:chair is a participant in the chair or co-chair role, and back."""
    prefix = sparql_prefixes()
    missing_chair = data_graph.query(
        prefix
        + f"""SELECT ?m ?who WHERE {{ ?x ip5:meeting ?m ; ip5:participant ?who ; ip5:role ?r .
            FILTER (?r IN (<{ID}role/chair>, <{ID}role/co-chair>)) FILTER NOT EXISTS {{ ?m ip5:chair ?who }} }}"""
    )
    missing_record = data_graph.query(
        prefix
        + f"""SELECT ?m ?who WHERE {{ ?m ip5:chair ?who .
            FILTER NOT EXISTS {{ ?x ip5:meeting ?m ; ip5:participant ?who ; ip5:role ?r .
                FILTER (?r IN (<{ID}role/chair>, <{ID}role/co-chair>)) }} }}"""
    )
    assert list(missing_chair) == []
    assert list(missing_record) == []
    assert stated_in(data_graph, f"<{ID}meeting/heads-2008>", "ip5:chair", f"<{ID}office/kipo>", f"<{ID}source/s115>")


def test_audit_every_declared_inverse_is_asserted_both_ways(merged: Graph) -> None:
    """A query written with either property of an owl:inverseOf pair finds the same facts."""
    pairs = list(merged.subject_objects(URIRef("http://www.w3.org/2002/07/owl#inverseOf")))
    assert (URIRef(IP5 + "hasOutcome"), URIRef(IP5 + "outcomeOf")) not in pairs
    for p, q in pairs:
        one = {(s, o) for s, o in merged.subject_objects(p)}
        other = {(o, s) for s, o in merged.subject_objects(q)}
        assert one == other, (p, q)
    has_member = URIRef("http://www.w3.org/ns/org#hasMember")
    assert (has_member, None, None) not in merged or list(merged.subject_objects(has_member))


def test_audit_the_lexology_alias_links_to_s113(data_graph: Graph) -> None:
    alias, s113 = f"<{ID}source/s-lexology-f507>", f"<{ID}source/s113>"
    assert ask(data_graph, f"{alias} ip5:sameDocumentAs {s113} . {s113} ip5:sameDocumentAs {alias} .")
    assert not ask(data_graph, f'{alias} ?p ?o FILTER (isLiteral(?o) && CONTAINS(STR(?o), "= S113"))')
