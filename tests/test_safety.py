"""query.safety against the generated corpus, on both engines, with leak sentinels and rdflib's algebra.

A query that passes the check runs as the text the check rebuilt; the sentinels (a loopback HTTP
server and an inotify-watched file) must see nothing, and rdflib's parser must find no SERVICE and
no foreign dataset in that text. The full corpus is in the long suite; a sample runs every time.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from fuzzcorpus import LOADED, benign_queries, malformed_queries, remote_queries
from sentinel import LEAK, FileSentinel, HttpSentinel, sentinels_fixture  # noqa: F401 (the `sentinels` fixture)

from ip5graph.errors import QueryError, UnsafeQueryError
from ip5graph.query import safety


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    import rdflib
    import rdflib.plugins.sparql as rsparql

    rsparql.SPARQL_LOAD_GRAPHS = False
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    graph = rdflib.Dataset()
    graph.add((rdflib.URIRef("http://e/s"), rdflib.URIRef("http://e/p"), rdflib.Literal("o")))
    return store, graph


def _fetches(text: str) -> bool | None:
    """What rdflib's parser makes of the text: SERVICE anywhere or a foreign dataset (None: no parse)."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:
        return None
    found = []

    def walk(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    walk(algebra)
    dataset = [
        str(getattr(d, "default", None) or getattr(d, "named", None)) for d in algebra.get("datasetClause") or []
    ]
    return bool(found) or any(d != LOADED for d in dataset)


def _run_all(cases, sentinels, engines) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    http, files = sentinels
    store, graph = engines
    before = len(http.requests), files.opens()
    refused = passed = 0
    for case in cases:
        try:
            checked = safety.check(str(case.payload))
        except QueryError:
            refused += 1
            assert case.expect != "ok", case
            continue
        passed += 1
        assert case.expect != "refused", (case, checked.text)
        assert not _fetches(checked.text), (case, checked.text)
        for run in (store.query, graph.query):
            try:
                answer = run(checked.text)
                assert LEAK not in repr(list(answer) if not isinstance(answer, ox.QueryBoolean) else answer)
            except AssertionError:
                raise
            except Exception:
                pass
    assert (len(http.requests), files.opens()) == before, http.requests
    return refused, passed


@pytest.mark.long
def test_every_remote_variant_is_refused_or_harmless_on_both_engines(sentinels, engines) -> None:  # type: ignore[no-untyped-def]
    http, files = sentinels
    cases = remote_queries(http.base, files.uri)
    assert len(cases) >= 500
    refused, passed = _run_all(cases, sentinels, engines)
    assert refused >= 500


def test_a_sample_of_remote_variants_is_refused_or_harmless(sentinels, engines) -> None:  # type: ignore[no-untyped-def]
    http, files = sentinels
    _run_all(remote_queries(http.base, files.uri)[::13], sentinels, engines)


@pytest.mark.long
def test_the_checker_agrees_with_rdflibs_parser_on_the_raw_text(sentinels) -> None:  # type: ignore[no-untyped-def]
    """Wherever rdflib's own parse of the user's text has SERVICE or a foreign FROM, we refuse."""
    http, files = sentinels
    disagreements = []
    for case in remote_queries(http.base, files.uri) + benign_queries() + malformed_queries():
        raw = _fetches(str(case.payload))
        try:
            safety.check(str(case.payload))
            if raw:
                disagreements.append(case)
        except QueryError:
            pass
    assert disagreements == []


def test_benign_look_alikes_pass_and_run(sentinels, engines) -> None:  # type: ignore[no-untyped-def]
    refused, passed = _run_all(benign_queries(), sentinels, engines)
    assert refused == 0 and passed == len(benign_queries())


@pytest.mark.parametrize("case", [c for c in malformed_queries() if c.expect == "error"], ids=lambda c: c.name)
def test_malformed_queries_fail_with_one_line(case) -> None:  # type: ignore[no-untyped-def]
    store = ox.Store()
    with pytest.raises((QueryError, SyntaxError, ValueError, OSError, RuntimeError)) as err:
        checked = safety.check(str(case.payload))
        store.query(checked.text)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "text,word",
    [
        ('SELECT * WHERE { BIND("""x\\"""" AS ?z) SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } #"', "SERVICE"),
        ("SELECT * WHERE { # c\r SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE"),
        ("PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("PREFIX : <http://127.0.0.1:9/> SELECT * FROM:x WHERE { ?s ?p ?o }", "FROM"),
    ],
)
def test_the_reproducers_of_issue_14_are_refused(text: str, word: str) -> None:
    with pytest.raises(UnsafeQueryError, match=word):
        safety.check(text)


def test_the_engine_text_has_no_comments_and_one_string_form() -> None:
    checked = safety.check("SELECT ?x WHERE { BIND('''a\\'b''' AS ?x) } # SERVICE")
    assert checked.text == 'SELECT ?x WHERE { BIND("""a\\\'b""" AS ?x) } '.replace("\\'", "'")
    assert "#" not in checked.text


def test_size_and_depth_bounds_are_one_line_errors() -> None:
    with pytest.raises(QueryError, match="query too large"):
        safety.check("ASK {}" + " " * (safety.MAX_QUERY_CHARS + 1))
    with pytest.raises(QueryError, match="nested too deeply"):
        safety.check("ASK " + "{" * (safety.MAX_DEPTH + 1) + "}" * (safety.MAX_DEPTH + 1))
    assert safety.check("ASK " + "{" * safety.MAX_DEPTH + "}" * safety.MAX_DEPTH).form == "ASK"


def test_positions_count_lines_as_sparql_does(tmp_path: Path) -> None:
    with pytest.raises(UnsafeQueryError, match=r"^q:3:1: "):
        safety.check("ASK {\r\n}\rSERVICE", "q")


_WORST = {
    "nesting": "SELECT * WHERE " + "{" * safety.MAX_DEPTH + "}" * safety.MAX_DEPTH,
    "not-chain": "SELECT * WHERE { BIND(" + "!" * (safety.MAX_TOKENS - 20) + "true AS ?x) }",
    "bind-chain": "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(safety.MAX_TOKENS // 6 - 2)) + " }",
    "union-chain": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * (safety.MAX_TOKENS // 7 - 2)) + " }",
    "or-chain": "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o"] * (safety.MAX_TOKENS // 2 - 12)) + ") }",
    "filter-chain": "SELECT * WHERE { ?s ?p ?o " + " ".join(["FILTER(?o)"] * (safety.MAX_TOKENS // 4 - 8)) + " }",
}


@pytest.mark.long
@pytest.mark.parametrize("name", sorted(_WORST))
def test_the_worst_shapes_within_the_bounds_do_not_crash_oxigraph(name: str) -> None:
    import subprocess
    import sys

    code = (
        "import sys, pyoxigraph as ox\nfrom ip5graph.query import safety\n"
        "c = safety.check(sys.stdin.read())\nr = ox.Store().query(c.text)\n"
        "print(len(list(r)) if not isinstance(r, ox.QueryBoolean) else bool(r))\n"
    )
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=_WORST[name],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": root},
    )
    assert proc.returncode == 0, proc.stderr[-300:]


def test_too_many_terms_is_a_one_line_error() -> None:
    with pytest.raises(QueryError, match="too complex"):
        safety.check("SELECT * WHERE { BIND(" + "!" * 12000 + "true AS ?x) }")
