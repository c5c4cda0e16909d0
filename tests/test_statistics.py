"""The statistics cube: Data Cube integrity constraints, SHACL, sources, and the named queries' figures.

The integrity constraints are the SPARQL ASK queries of the W3C RDF Data Cube recommendation (section
11, "Well-formed cubes"), run on the real graph after the recommendation's phase-1 normalisation (type
and component-property closure). Each ASK is true when the constraint is broken. IC-12 is adapted: two
observations may share every dimension value when sources state the same figure differently, as long
as the two values agree within the precision each is stated to, or both are statements of one recorded
conflict (ip5:Conflict / ip5:hasStatement / ip5:statementSubject).
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
import pytest

import ip5graph
from ip5graph.kg import resources
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import load_memory

IP5 = "https://w3id.org/ip5graph/ontology#"
ID = "https://w3id.org/ip5graph/id/"
QB = "http://purl.org/linked-data/cube#"

PREFIXES = f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX qb: <{QB}>
PREFIX ip5: <{IP5}>
"""

# The recommendation's normalisation algorithm, phase 1 (type and property closure).
NORMALISE = (
    PREFIXES
    + """
INSERT { ?o rdf:type qb:Observation . } WHERE { [] qb:observation ?o . };
INSERT { ?o rdf:type qb:Observation . ?ds rdf:type qb:DataSet . } WHERE { ?o qb:dataSet ?ds . };
INSERT { ?s rdf:type qb:Slice . } WHERE { [] qb:slice ?s . };
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty . } WHERE { ?cs qb:dimension ?p . };
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty . } WHERE { ?cs qb:measure ?p . };
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty . } WHERE { ?cs qb:attribute ?p . }
"""
)

# IC-1 to IC-11 and the further constraints that apply to a measure-dimension cube without slices,
# as written in the recommendation. IC-7 to IC-10 are about slices: the cube has none, so they hold
# trivially, and are kept so that a slice added later is checked. IC-14 and IC-17 are for cubes
# without a measure dimension and for cubes with every measure at every point; IC-18, IC-20 and
# IC-21 for slices and hierarchical code lists: none apply.
INTEGRITY = {
    "IC-1 unique data set": """ASK {
  { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
  UNION
  { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) }
}""",
    "IC-2 unique DSD": """ASK {
  { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
  UNION
  { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) }
}""",
    "IC-3 DSD includes measure": """ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] }
}""",
    "IC-4 dimensions have range": """ASK {
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?dim rdfs:range [] }
}""",
    "IC-5 concept dimensions have code lists": """ASK {
  ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
  FILTER NOT EXISTS { ?dim qb:codeList [] }
}""",
    "IC-6 only attributes may be optional": """ASK {
  ?dsd qb:component ?componentSpec .
  ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",
    "IC-7 slice keys must be declared": """ASK {
  ?sliceKey a qb:SliceKey .
  FILTER NOT EXISTS { [a qb:DataStructureDefinition] qb:sliceKey ?sliceKey }
}""",
    "IC-8 slice keys consistent with DSD": """ASK {
  ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
  ?dsd qb:sliceKey ?slicekey .
  FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty ?prop] }
}""",
    "IC-9 unique slice structure": """ASK {
  { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
  UNION
  { ?slice a qb:Slice ; qb:sliceStructure ?key1, ?key2 . FILTER (?key1 != ?key2) }
}""",
    "IC-10 slice dimensions complete": """ASK {
  ?slice qb:sliceStructure [qb:componentProperty ?dim] .
  FILTER NOT EXISTS { ?slice ?dim [] }
}""",
    "IC-11 all dimensions required": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?obs ?dim [] }
}""",
    "IC-13 required attributes": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component ?component .
  ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
  FILTER NOT EXISTS { ?obs ?attr [] }
}""",
    "IC-15 measure dimension consistent": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
  ?dsd qb:component/qb:componentProperty qb:measureType .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",
    "IC-16 single measure on measure dimension observation": """ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?omeasure [] .
  ?dsd qb:component/qb:componentProperty qb:measureType ;
       qb:component/qb:componentProperty ?omeasure .
  ?omeasure a qb:MeasureProperty .
  FILTER (?omeasure != ?measure)
}""",
    "IC-19 codes from code list": """ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a skos:ConceptScheme .
  ?obs ?dim ?v .
  FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list }
}""",
}

# IC-12 as the recommendation writes it: some two observations of a data set share every dimension value.
IC12_PAIRS = """SELECT ?obs1 ?obs2 (MIN(?equal) AS ?allEqual) WHERE {
      ?obs1 qb:dataSet ?dataset .
      ?obs2 qb:dataSet ?dataset .
      FILTER (?obs1 != ?obs2)
      ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      ?obs1 ?dim ?value1 .
      ?obs2 ?dim ?value2 .
      BIND (?value1 = ?value2 AS ?equal)
    } GROUP BY ?obs1 ?obs2"""
IC12 = f"ASK {{ FILTER (?allEqual) {{ {IC12_PAIRS} }} }}"

# IC-12 adapted: such a pair is allowed when (a) the two values agree within the precision each is
# stated to (|v1 - v2| <= (p1 + p2) / 2: '1.9 million' and '1,876,000' are one figure said twice), or
# (b) both observations have statements in one recorded conflict (sources that disagree, kept side by side).
AGREE = """?obs1 qb:measureType ?m ; ip5:precision ?p1 . ?obs1 ?m ?v1 .
      ?obs2 ip5:precision ?p2 . ?obs2 ?m ?v2 .
      FILTER (ABS(?v1 - ?v2) * 2 <= ?p1 + ?p2)"""
IN_CONFLICT = """?conflict a ip5:Conflict ; ip5:hasStatement ?statement1, ?statement2 .
      ?statement1 ip5:statementSubject ?obs1 .
      ?statement2 ip5:statementSubject ?obs2 ."""
IC12_ADAPTED = f"""ASK {{
  {{ {IC12_PAIRS} }}
  FILTER (?allEqual)
  FILTER NOT EXISTS {{ {AGREE} }}
  FILTER NOT EXISTS {{ {IN_CONFLICT} }}
}}"""


def _store() -> ox.Store:
    store = load_memory(Inputs.default())
    store.update(NORMALISE)
    return store


@pytest.fixture(scope="module")
def cube() -> ox.Store:
    return _store()


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else t.value for t in row) for row in store.query(PREFIXES + query)]


# ---------------------------------------------------------------- integrity constraints


def test_the_cube_is_there(cube: ox.Store) -> None:
    n = select(cube, "SELECT (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ; qb:dataSet ?d }")
    assert int(n[0][0]) >= 200
    assert ask(cube, f"ASK {{ <{ID}dataset/ip5-statistics> qb:structure <{ID}structure/ip5-statistics> }}")


@pytest.mark.parametrize("name", list(INTEGRITY))
def test_integrity_constraint_holds(cube: ox.Store, name: str) -> None:
    assert not ask(cube, INTEGRITY[name]), f"{name} is broken"


def test_ic12_as_written_finds_the_figures_kept_side_by_side(cube: ox.Store) -> None:
    """The unadapted IC-12 is broken on purpose: sources that state one figure differently are kept."""
    assert ask(cube, IC12)
    pairs = select(cube, f"SELECT ?obs1 ?obs2 WHERE {{ {{ {IC12_PAIRS} }} FILTER (?allEqual) }}")
    by_conflict = select(
        cube, f"SELECT ?obs1 ?obs2 WHERE {{ {{ {IC12_PAIRS} }} FILTER (?allEqual) FILTER EXISTS {{ {IN_CONFLICT} }} }}"
    )
    assert by_conflict, "the recorded conflicts (C5, C22, C23) account for some of the shared points"
    assert len(by_conflict) < len(pairs), "others are one figure stated at two precisions"


def test_ic12_adapted_holds(cube: ox.Store) -> None:
    assert not ask(cube, IC12_ADAPTED)


def test_the_epo_counts_of_c22_need_their_conflict(cube: ox.Store) -> None:
    """188 600 (IP5 report) and 188 809 (Patent Index) do not agree within their precision."""
    rows = select(
        cube,
        f"""SELECT ?v WHERE {{ ?c ip5:conflictId "C22" ; ip5:hasStatement/ip5:statementSubject ?o .
            ?o ip5:refPeriod <{ID}period/2021> ; ip5:patentApplications ?v }} ORDER BY ?v""",
    )
    assert [r[0] for r in rows] == ["188600", "188809"]
    assert not ask(
        cube,
        """ASK { ?a ip5:patentApplications 188600 ; ip5:precision ?p1 . ?b ip5:patentApplications 188809 ;
             ip5:precision ?p2 . FILTER (ABS(188600 - 188809) * 2 <= ?p1 + ?p2) }""",
    )


MUTATIONS = {
    "IC-1 unique data set": f"DELETE WHERE {{ <{ID}observation/ip5-applications-2012-s190> qb:dataSet ?d }}",
    "IC-2 unique DSD": f"INSERT DATA {{ <{ID}dataset/ip5-statistics> qb:structure <{ID}structure/other> }}",
    "IC-4 dimensions have range": f"DELETE WHERE {{ <{IP5}refArea> rdfs:range ?r }}",
    "IC-5 concept dimensions have code lists": f"DELETE WHERE {{ <{IP5}refPeriod> qb:codeList ?l }}",
    "IC-11 all dimensions required": f"DELETE WHERE {{ <{ID}observation/epo-applications-2020-s208> ip5:refPeriod ?p }}",
    "IC-13 required attributes": f"DELETE WHERE {{ <{ID}share/s44-2024> dcterms:source ?s }}",
    "IC-16 single measure on measure dimension observation": f"INSERT DATA {{ <{ID}observation/epo-applications-2020-s208> ip5:patentGrants 1 }}",
    "IC-19 codes from code list": f"INSERT DATA {{ <{ID}observation/epo-applications-2020-s208> ip5:refPeriod <{ID}period/1999> }}",
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_integrity_constraint_bites(name: str) -> None:
    store = _store()
    store.update(PREFIXES + MUTATIONS[name])
    assert ask(store, INTEGRITY[name])


def test_ic12_adapted_bites_on_an_unexplained_second_figure() -> None:
    store = _store()
    store.update(
        PREFIXES
        + f"""INSERT DATA {{ <{ID}observation/test-duplicate> a qb:Observation ;
            qb:dataSet <{ID}dataset/ip5-statistics> ; ip5:refPeriod <{ID}period/2020> ; ip5:refArea <{ID}office/epo> ;
            qb:measureType ip5:patentApplications ; ip5:patentApplications 170000 ; ip5:precision 1 }}"""
    )
    assert ask(store, IC12_ADAPTED)


# ---------------------------------------------------------------- SHACL and sources


@pytest.fixture(scope="module")
def shacl_parts() -> tuple[object, object]:
    """The cube's own shapes (shape:Statistics* of shapes.ttl) and the whole graph, parsed once."""
    from rdflib import Graph, URIRef

    from ip5graph.kg.load import load_rdflib

    shapes_all = Graph().parse(resources.shapes_file(), format="turtle")
    shapes = Graph()
    todo = [s for s in set(shapes_all.subjects()) if str(s).startswith("https://w3id.org/ip5graph/shapes#Statistics")]
    assert len(todo) == 4
    while todo:  # each shape with the blank nodes it uses
        node = todo.pop()
        for p, o in shapes_all.predicate_objects(node):
            shapes.add((node, p, o))
            if not isinstance(o, URIRef) and (o, None, None) in shapes_all:
                todo.append(o)
    return shapes, load_rdflib(Inputs.default())


def _shacl(shacl_parts: tuple[object, object], mutation: str | None = None) -> tuple[bool, str]:
    import pyshacl
    from rdflib import Graph

    shapes, data = shacl_parts
    if mutation:
        copy = Graph()
        copy += data
        copy.update(PREFIXES + mutation)
        data = copy
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return bool(conforms), text


def test_the_statistics_shapes_conform(shacl_parts: tuple[object, object]) -> None:
    conforms, text = _shacl(shacl_parts)
    assert conforms, text


@pytest.mark.parametrize(
    "mutation, message",
    [
        (f"DELETE WHERE {{ <{ID}share/s13-2019> dcterms:source ?s }}", "at least one dcterms:source"),
        (
            f"INSERT DATA {{ <{ID}share/s13-2019> ip5:patentApplications 85 }}",
            "no value for another measure than its own",
        ),
        (
            f"DELETE WHERE {{ <{ID}share/s13-2019> ip5:unitMeasure ?u }} ;"
            f" INSERT DATA {{ <{ID}share/s13-2019> ip5:unitMeasure <{ID}unit/applications> }}",
            "unit is the unit of its measure",
        ),
        (f"DELETE WHERE {{ <{ID}share/s13-2019> ip5:precision ?p }}", "positive precision"),
        (f"INSERT DATA {{ <{ID}share/s13-2019> ip5:refPeriod <{ID}period/2020> }}", "exactly one reference period"),
        (f'INSERT DATA {{ <{ID}share/s13-2019> ip5:shareOfWorldApplications "85" }}', "is a number"),
    ],
)
@pytest.mark.long  # pyshacl over the whole graph, once per mutation
def test_the_statistics_shapes_bite(shacl_parts: tuple[object, object], mutation: str, message: str) -> None:
    conforms, text = _shacl(shacl_parts, mutation)
    assert not conforms
    assert message in text


def test_every_observation_has_a_source_with_a_tier(cube: ox.Store) -> None:
    assert not ask(cube, "ASK { ?o a qb:Observation . FILTER NOT EXISTS { ?o dcterms:source/ip5:tier ?tier } }")


def test_the_application_shares_are_observations_of_the_same_cube(cube: ox.Store) -> None:
    """No double model: the 17 share nodes keep their IRIs and are observations, nothing else."""
    rows = select(
        cube,
        f"""SELECT ?s WHERE {{ ?s a qb:Observation ; qb:dataSet <{ID}dataset/ip5-statistics> .
            FILTER STRSTARTS(STR(?s), "{ID}share/") }}""",
    )
    assert len(rows) == 17
    assert not ask(cube, "ASK { { ?s a ip5:ApplicationShare } UNION { ?s ip5:sharePercent ?v } }")
    # and they are still in conflict C5, through their statements
    assert ask(cube, f'ASK {{ ?c ip5:conflictId "C5" ; ip5:hasStatement/ip5:statementSubject <{ID}share/s110-2007> }}')


def test_rounded_values_say_so(cube: ox.Store) -> None:
    rows = select(
        cube,
        f"""SELECT ?v ?p ?q WHERE {{ ?o ip5:refArea <{ID}forum/ip5> ; ip5:refPeriod <{ID}period/2012> ;
              ip5:patentApplications ?v ; ip5:precision ?p ; dcterms:source <{ID}source/s190> .
              OPTIONAL {{ ?o ip5:qualifier ?q }} }}""",
    )
    assert rows == [("1900000", "100000", "nearly")]  # "nearly 1.9 million", not 1,900,000 exactly


# ---------------------------------------------------------------- the named queries, on both engines


@pytest.fixture(scope="module")
def engines() -> dict[str, object]:
    return {e: ip5graph.open(engine=e) for e in ("oxigraph", "rdflib")}


def _figures(result: object, *names: str) -> set[tuple[str, ...]]:
    idx = [result.variables.index(n) for n in names]
    out = set()
    for row in result.rows:
        cells = []
        for i in idx:
            term = row[i]
            text = "" if term is None else term.value
            cells.append(text.rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        out.add(tuple(cells))
    return out


def _num(text: str) -> str:
    return format(Decimal(text).normalize(), "f") if text else text


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_19_series(engines: dict, engine: str) -> None:
    kg = engines[engine]
    ip5 = kg.query("19-statistics-series", measure="ip5:patentApplications", area="forum:ip5")
    got = {(y, _num(v), s) for y, v, s in _figures(ip5, "year", "value", "sourceId")}
    # addendum A.1: IP5 applications, each with its source
    assert {
        ("2012", "1900000", "S190"),
        ("2012", "1876000", "S196"),
        ("2013", "2077642", "S193"),
        ("2013", "2100000", "S194"),
        ("2015", "2400000", "S189"),
        ("2016", "2600000", "S191"),
        ("2018", "2800000", "S187"),
        ("2019", "2700000", "S186"),
        ("2019", "2730000", "S206"),
        ("2020", "2790000", "S206"),
        ("2021", "2900000", "S192"),
        ("2021", "2890000", "S204"),
        ("2022", "2930000", "S203"),
        ("2023", "3000000", "S202"),
    } <= got
    assert {m for (m,) in _figures(ip5, "measure")} == {"patentApplications"}
    assert {a for (a,) in _figures(ip5, "area")} == {"ip5"}
    # addendum A.2: the EPO Patent Index series 2020-2024, and the IP5 report's 2021 and 2023 beside it
    epo = kg.query("19-statistics-series", measure="ip5:patentApplications", area="office:epo")
    got = {(y, v, s) for y, v, s in _figures(epo, "year", "value", "sourceId")}
    assert {
        ("2020", "180417", "S208"),
        ("2021", "188809", "S208"),
        ("2022", "193627", "S208"),
        ("2023", "199452", "S208"),
        ("2024", "199264", "S208"),
        ("2024", "199264", "S209"),
        ("2021", "188600", "S192"),
        ("2023", "199275", "S202"),
    } <= got
    # addendum A.2: CNIPA invention applications 2017-2022 from its own yearbook
    cnipa = kg.query("19-statistics-series", measure="ip5:patentApplications", area="office:cnipa")
    s210 = {(y, v) for y, v, s in _figures(cnipa, "year", "value", "sourceId") if s == "S210"}
    assert s210 == {
        ("2017", "1381594"),
        ("2018", "1542002"),
        ("2019", "1400661"),
        ("2020", "1497159"),
        ("2021", "1585663"),
        ("2022", "1619268"),
    }
    grants = kg.query("19-statistics-series", measure="ip5:patentGrants", area="forum:ip5")
    got = {(y, _num(v), q) for y, v, q in _figures(grants, "year", "value", "qualifier")}
    assert {
        ("2012", "924000", "almost"),
        ("2013", "956644", ""),
        ("2015", "1017375", ""),
        ("2023", "1700000", "over"),
    } <= got


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_20_offices_in_one_year(engines: dict, engine: str) -> None:
    kg = engines[engine]
    r = kg.query("20-statistics-offices-in-a-year", period="period/2019", measure="ip5:patentApplications")
    got = {(a, v, s) for a, v, s in _figures(r, "abbreviation", "value", "sourceId")}
    # addendum A.2, 2019 (WIPO counts via S226, and CNIPA's yearbook)
    assert got == {
        ("CNIPA", "1400661", "S210"),
        ("CNIPA", "1400000", "S226"),
        ("USPTO", "621453", "S226"),
        ("JPO", "307969", "S226"),
        ("KIPO", "218975", "S226"),
        ("EPO", "181479", "S226"),
    }
    assert [row[r.variables.index("abbreviation")].value for row in r.rows][:2] == ["CNIPA", "CNIPA"]  # largest first
    r = kg.query("20-statistics-offices-in-a-year", period="period/2018", measure="ip5:shareOfPatentsInForce")
    got = {(a, v) for a, v in _figures(r, "abbreviation", "value")}
    assert got == {("EPO", "29"), ("USPTO", "22"), ("CNIPA", "17"), ("JPO", "15"), ("KIPO", "7")}
    r = kg.query("20-statistics-offices-in-a-year", period="period/2014", measure="ip5:decisionsToGrant")
    assert _figures(r, "abbreviation", "value", "sourceId") == {("JPO", "205711", "S219")}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_21_world_share_with_its_measure(engines: dict, engine: str) -> None:
    kg = engines[engine]
    r = kg.query("21-statistics-world-share")
    got = {(y, m, a, _num(v), s) for y, m, a, v, s in _figures(r, "year", "measure", "area", "value", "sourceId")}
    expected = {
        # WIPO: the five largest offices
        ("2007", "topFiveOfficesShare", "top-five-offices", "75.2", "S225"),
        ("2015", "topFiveOfficesShare", "top-five-offices", "82.5", "S227"),
        ("2017", "topFiveOfficesShare", "top-five-offices", "84.5", "S225"),
        ("2022", "topFiveOfficesShare", "top-five-offices", "84.9", "S228"),
        ("2024", "topFiveOfficesShare", "top-five-offices", "85.5", "S229"),
        # IP5 report: originating from the IP5 blocs
        ("2014", "shareFromIp5Blocs", "ip5", "93", "S189"),
        ("2018", "shareFromIp5Blocs", "ip5", "94", "S188"),
        # filed at the IP5 offices, or at one office
        ("2006-2010", "shareOfWorldApplications", "ip5", "91", "S205"),
        ("2012", "shareOfWorldApplications", "ip5", "89", "S196"),
        ("2022", "shareOfWorldApplications", "ip5", "85.1", "S203"),
        ("2007", "shareOfWorldApplications", "ip5", "75", "S110"),
        ("2014", "shareOfWorldApplications", "cnipa", "34.6", "S229"),
        ("2024", "shareOfWorldApplications", "cnipa", "49.1", "S229"),
        ("2024", "shareOfWorldApplications", "uspto", "16.2", "S229"),
        ("2021", "shareOfWorldApplications", "ip5", "80", "S00a"),
    }
    assert expected <= got
    # the shares of PCT work are another measure and stay out
    assert {m for (m,) in _figures(r, "measure")} == {
        "shareOfWorldApplications",
        "topFiveOfficesShare",
        "shareFromIp5Blocs",
    }
    # C27: the digest's 2017 '94% filed at the IP5 offices' is kept at normal rank; the report's measure is preferred
    ranks = {s: p for y, s, p in _figures(r, "year", "sourceId", "rank") if s in ("S200", "S188")}
    assert ranks == {"S200": "normal", "S188": "preferred"}
