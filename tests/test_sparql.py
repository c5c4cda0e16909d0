"""The query catalogue, parameter typing and binding, and the safety check, on both engines."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import ip5graph
from ip5graph.errors import QueryError, UnsafeQueryError, UsageError
from ip5graph.query import catalogue, parameters, safety

ID = "https://w3id.org/ip5graph/id/"
ENGINES = ("oxigraph", "rdflib")


@pytest.fixture(scope="module", params=ENGINES)
def kg(request: pytest.FixtureRequest, fixture_kgs: dict) -> ip5graph.kg.graph.KnowledgeGraph:
    return fixture_kgs[request.param]


def test_catalogue_has_the_competency_questions() -> None:
    queries = catalogue.catalogue()
    assert len(queries) >= 15
    names = [q.name for q in queries]
    assert names == sorted(names)
    for q in queries:
        assert q.title and q.title != q.name, q.name
        assert q.description, q.name
        assert q.path.name == q.name + ".rq"
        for p in q.params:
            assert p.type in catalogue.PARAM_TYPES and p.example, (q.name, p)
            assert f"?{p.name}" in q.text.split("WHERE")[0], f"{q.name}: param ?{p.name} must be selected"
        # every prefix used is declared (portable SPARQL)
        body = "\n".join(line for line in q.text.splitlines() if not line.startswith("#"))
        used = {
            m.group(1)
            for m in __import__("re").finditer(r"\b([a-z][a-z0-9]*):[A-Za-z]", body)
            if m.group(1) not in ("https", "http")
        }
        declared = {line.split()[1].rstrip(":") for line in body.splitlines() if line.startswith("PREFIX")}
        assert used <= declared, (q.name, used - declared)


def test_find_by_name_slug_and_number() -> None:
    assert catalogue.find("02-heads-meetings").name == "02-heads-meetings"
    assert catalogue.find("heads-meetings").name == "02-heads-meetings"
    assert catalogue.find("2").name == "02-heads-meetings"
    with pytest.raises(UsageError, match="did you mean '02-heads-meetings'"):
        catalogue.find("heads-meting")
    with pytest.raises(UsageError, match="ip5graph queries"):
        catalogue.find("zzzzzzzz")


@pytest.mark.parametrize(
    "text, word",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * where { service <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("DROP ALL", "DROP"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <https://w3id.org/ip5graph/graph/all> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED"),
    ],
)
def test_unsafe_queries_are_refused_on_both_engines(kg, text: str, word: str) -> None:
    with pytest.raises(UnsafeQueryError, match="refused: " + word):
        kg.query(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?x WHERE { BIND("SERVICE LOAD INSERT FROM <http://evil/>" AS ?x) }',
        "SELECT ?service ?load WHERE { BIND(<http://example.org/load#service> AS ?service) }  # SERVICE, DROP ALL",
        "PREFIX service: <http://example.org/> SELECT ?x WHERE { BIND(service:load AS ?x) }",
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/ip5graph/graph/all> WHERE { ?s ?p ?o }",
    ],
)
def test_keywords_in_strings_iris_comments_and_names_are_not_refused(kg, text: str) -> None:
    result = kg.query(text)
    assert len(result.rows) == 1


def test_from_the_loaded_graph_sees_the_data(kg) -> None:
    plain = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value
    with_from = kg.query(f"SELECT (COUNT(*) AS ?n) FROM <{safety.LOADED_GRAPH}> WHERE {{ ?s ?p ?o }}").rows[0][0].value
    assert int(plain) == int(with_from) > 800


def test_parameters_are_typed_and_bound(kg) -> None:
    r = kg.query("03-meeting-participants", meeting="meeting:heads-2021")
    assert {row[1].value.rsplit("/", 1)[1] for row in r.rows} == {
        "kasutani-toshihide",
        "drew-hirshfeld",
        "lisa-jorgenson",
    }
    for form in (
        f"{ID}meeting/heads-2021",
        f"<{ID}meeting/heads-2021>",
        "meeting/heads-2021",
        ox.NamedNode(f"{ID}meeting/heads-2021"),
    ):
        assert len(kg.query("03", meeting=form).rows) == 3
    assert len(kg.query("03", meeting="meeting:heads-2020").rows) == 0


def test_a_parameter_value_is_never_spliced(kg) -> None:
    nasty = 'ja")) } SERVICE <http://evil/> { ?a ?b ?c } #'
    r = kg.query(
        "SELECT ?lang ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "FILTER(LANG(?label) = ?lang) }",
        lang=nasty,
    )
    assert r.rows == []
    r = kg.query(
        "SELECT ?name ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
        name='Kasutani Toshihide"@en . ?x ?p ?o',
    )
    assert r.rows == []
    r = kg.query(
        "SELECT ?lang ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "FILTER(LANG(?label) = ?lang) }",
        lang="ja",
    )
    assert sorted(row[1].value for row in r.rows) == ["特許庁", "糟谷敏秀"]


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("03-meeting-participants", {}, "needs a parameter: --param meeting=meeting:heads-2021"),
        ("03-meeting-participants", {"meeting": "not an iri"}, "parameter 'meeting' must be an IRI"),
        ("03-meeting-participants", {"meeting": "http://bad iri/x"}, "must be an IRI"),
        ("03-meeting-participants", {"meeting": "nosuchprefix:x y"}, "must be an IRI"),
        ("03-meeting-participants", {"meeting": "meeting:heads-2021", "colour": "red"}, "has no parameter 'colour'"),
        ("05-heads-on-date", {"date": "yesterday"}, "must be a date"),
        ("05-heads-on-date", {"date": "2021-02-30"}, "must be a date"),
        ("17-labels-in-language", {"lang": "not a tag"}, "must be a language tag"),
    ],
)
def test_bad_parameters(name: str, params: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parameters.resolve(name, params)


def test_convert_each_type() -> None:
    assert parameters.convert("n", "integer", "42") == ox.Literal(
        "42", datatype=ox.NamedNode(parameters.XSD + "integer")
    )
    assert parameters.convert("n", "integer", 7).value == "7"
    assert parameters.convert("b", "boolean", "TRUE").value == "true"
    assert parameters.convert("l", "lang", "JA").value == "ja"
    assert parameters.convert("s", "string", "x y").value == "x y"
    assert parameters.convert("i", "iri", "ip5:Meeting").value == "https://w3id.org/ip5graph/ontology#Meeting"
    import datetime

    assert parameters.convert("d", "date", datetime.date(2021, 6, 23)).value == "2021-06-23"
    for t, v in (("integer", "4.5"), ("integer", True), ("boolean", "yes"), ("date", 2021)):
        with pytest.raises(UsageError):
            parameters.convert("x", t, v)


def test_adhoc_parameter_must_be_a_selected_variable(kg) -> None:
    with pytest.raises(UsageError, match="no \\?nope in it"):
        kg.query("SELECT ?s WHERE { ?s ?p ?o }", nope="1")
    with pytest.raises(UsageError, match="SELECT clause"):
        kg.query("SELECT ?s WHERE { ?s ?p ?o }", o="x")


def test_syntax_errors_give_line_and_column(kg) -> None:
    with pytest.raises(QueryError) as e:
        kg.query("SELECT * WHERE {\n  ?s ?p \n}")
    assert e.value.exit_code == 1
    assert str(e.value).startswith("<query>:") and "SPARQL syntax error" in str(e.value)
    line = int(str(e.value).split(":")[1])
    assert line in (2, 3)


def test_query_file_and_text(tmp_path: Path, kg) -> None:
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?o WHERE { ?o a <https://w3id.org/ip5graph/ontology#PatentOffice> }", encoding="utf-8")
    assert len(kg.query(str(f)).rows) == 5
    with pytest.raises(UsageError, match="cannot read"):
        kg.query(str(tmp_path / "missing.rq"))


def test_describe_refuses_parameters_but_runs_without(kg) -> None:
    text = "DESCRIBE ?meeting WHERE { ?meeting a <https://w3id.org/ip5graph/ontology#HeadsMeeting> }"
    with pytest.raises(UsageError, match="DESCRIBE"):
        kg.query(text, meeting="meeting:heads-2021")
    r = kg.query(f"DESCRIBE <{ID}meeting/heads-2021>")
    assert r.form == "DESCRIBE" and {t.subject.value for t in r.triples} == {ID + "meeting/heads-2021"}
