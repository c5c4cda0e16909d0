"""query.html, the in-browser SPARQL workbench: the same answers as `ip5graph query`, offline.

One Chromium and one page for most checks (every non-file request aborted and recorded); a second
page opens a shared link. The expected rows come from the CLI (`python -m ip5graph query NAME
--format json|nt`), never from the page.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from browserkit import ARGS, CHROMIUM, wait_js

from ip5graph.web import workbench

ROOT = Path(__file__).resolve().parent.parent
JPO = "https://w3id.org/ip5graph/id/office/jpo"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "ip5graph", "query", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
    )


# ---------------------------------------------------------------- no browser needed


def test_ask_link_encodes_a_statements_query():
    link = workbench.ask_link(JPO, "../")
    assert link.startswith("../query.html#query=")
    assert "%3C" + JPO.replace(":", "%3A").replace("/", "%2F") + "%3E" in link
    with pytest.raises(ValueError):
        workbench.ask_link("https://x/a> } SERVICE <http://evil/")


def test_oxigraph_becomes_a_classic_script():
    text = workbench.oxigraph_script()
    assert "import.meta" not in text and not re.search(r"^\s*export\b", text, re.M)
    assert "window.oxigraph = {" in text and "Store: Store" in text and "init: __wbg_init" in text
    assert "fetch(" not in text.replace("no fetch in this build", "")


# ---------------------------------------------------------------- in the browser

sync_api = pytest.importorskip("playwright.sync_api")
browser_only = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"
)


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """query.html and its assets as `ip5graph build` writes them, for the bundled graph (the
    rest of the site is not needed here: test_entity_pages_... builds a small whole site)."""
    import ip5graph
    from ip5graph.web import render, site
    from ip5graph.web.entitypages import SiteData

    out = tmp_path_factory.mktemp("wb") / "site"
    kg = ip5graph.open()
    triples, g = kg.triples(), kg.network().graph
    pages = SiteData(triples, g).pages
    files = workbench.site_files(triples, g, pages)
    files[site.VIS_ASSET] = render.vis_network_js()
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8", newline="\n")
    return out


class Page:
    def __init__(self, browser, url: str) -> None:
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.external: list[str] = []
        self.errors: list[str] = []
        self.ctx.route(re.compile(r"^(https?|wss?|ftp)://"), self._abort)
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else self.external.append(r.url)
        )
        self.page.goto(url, wait_until="load")
        wait_js(self.page, "window.ip5wb && (ip5wb.error || (ip5wb.ready && ip5wb.runs > 0))")
        assert self.page.evaluate("ip5wb.error") is None

    def _abort(self, route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def run_text(self, text: str) -> None:
        """Type into the editor as a person would (select all, type), then Ctrl+Enter."""
        runs = self.page.evaluate("ip5wb.runs")
        self.page.fill("#editor", text)
        self.page.focus("#editor")
        self.page.keyboard.press("Control+Enter")
        wait_js(self.page, f"ip5wb.runs > {runs}")

    def raw_json(self) -> dict:
        self.page.evaluate("document.getElementById('raw-box').open = true")
        return json.loads(self.page.text_content("#raw"))

    def table_rows(self) -> list[list[str]]:
        return self.page.eval_on_selector_all(
            "#table-wrap tbody tr", "trs => trs.map(tr => [...tr.cells].map(td => td.textContent))"
        )

    def error(self) -> str:
        return self.page.text_content("#error") or ""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser, site_dir):
    tab = Page(browser, (site_dir / "query.html").as_uri())
    yield tab
    tab.ctx.close()


def rows_of(doc: dict, ordered: bool) -> list:
    rows = [sorted((k, tuple(sorted(v.items()))) for k, v in b.items()) for b in doc["results"]["bindings"]]
    return rows if ordered else sorted(rows)


def assert_same_rows_as_cli(page, text: str | None, shown_text: str | None = None) -> dict:
    """Run `text` in the page (None: it already ran `shown_text`); its rows are the CLI's, in order."""
    if text is not None:
        page.run_text(text)
    assert page.error() == ""
    want = json.loads(cli("-e", text or shown_text, "--format", "json").stdout)
    assert rows_of(page.raw_json(), True) == rows_of(want, True)
    return want


def bindings_args(q) -> list[str]:
    return [a for k, v in sorted(q.example_bindings().items()) for a in ("-p", f"{k}={v}")]


@browser_only
def test_page_loads_the_whole_graph_offline_and_draws_it(page):
    count = json.loads(cli("-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json").stdout)
    assert page.page.evaluate("ip5wb.triples") == int(count["results"]["bindings"][0]["n"]["value"]) > 6000
    assert page.page.evaluate("window.network.body.data.nodes.length") > 0
    assert page.page.evaluate("document.querySelector('.vis-network canvas') !== null")
    csp = page.page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
    assert "connect-src 'none'" in csp
    assert page.external == [] and page.errors == []


@browser_only
def test_every_named_query_gives_the_cli_rows(page):
    from ip5graph.query import catalogue, safety

    checked = []
    queries = catalogue.catalogue()
    formats = {q.name: "nt" if safety.check_safe(q.text) in ("CONSTRUCT", "DESCRIBE") else "json" for q in queries}
    with ThreadPoolExecutor(max_workers=4) as pool:  # the CLI runs while the page works
        answers = dict(
            zip(formats, pool.map(lambda q: cli(q.name, *bindings_args(q), "--format", formats[q.name]), queries))
        )
    for q in queries:
        runs = page.page.evaluate("ip5wb.runs")
        page.page.click(f"#queries li[data-name='{q.name}'] button")
        wait_js(page.page, f"ip5wb.runs > {runs}")
        assert page.error() == "", f"{q.name}: {page.error()}"
        form = safety.check_safe(q.text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            want = answers[q.name]
            assert want.returncode == 0, want.stderr
            got = page.page.evaluate(
                "new oxigraph.Store(ip5wb.lastQuads).dump({format: 'application/n-triples', from_graph_name: oxigraph.defaultGraph()})"
            )
            assert sorted(set(got.splitlines())) == sorted(set(want.stdout.splitlines())), q.name
            assert want.stdout.strip(), q.name
        else:
            want = answers[q.name]
            assert want.returncode == 0, want.stderr
            expected, shown = json.loads(want.stdout), page.raw_json()
            ordered = re.search(r"^\s*ORDER\s+BY\b", q.text, re.M | re.I) is not None
            assert shown["head"] == expected["head"], q.name
            assert rows_of(shown, ordered) == rows_of(expected, ordered), q.name
            assert len(page.table_rows()) == len(expected["results"]["bindings"]), q.name
        checked.append(q.name)
    assert len(checked) == len(catalogue.catalogue()) >= 18
    assert page.external == [] and page.errors == []


@browser_only
def test_a_typed_query_runs_and_links_entities_to_their_pages(page):
    text = (
        "PREFIX ip5: <https://w3id.org/ip5graph/ontology#>\n"
        "SELECT ?office ?abbreviation WHERE {\n"
        "\t?office a ip5:PatentOffice ; ip5:abbreviation ?abbreviation .\n"
        "} ORDER BY ?abbreviation"
    )
    runs = page.page.evaluate("ip5wb.runs")
    page.page.fill("#editor", "")
    page.page.focus("#editor")
    first, rest = text.split("\t")
    page.page.keyboard.type(first)
    page.page.keyboard.press("Tab")  # a real Tab key: the editor indents instead of leaving the field
    page.page.keyboard.type(rest)
    assert "\n  ?office a" in page.page.input_value("#editor")
    page.page.keyboard.press("Control+Enter")
    wait_js(page.page, f"ip5wb.runs > {runs}")
    want = assert_same_rows_as_cli(page, None, text)
    assert [r[1] for r in page.table_rows()] == [b["abbreviation"]["value"] for b in want["results"]["bindings"]]
    links = page.page.eval_on_selector_all(
        "#table-wrap tbody a", "as => as.map(a => [a.getAttribute('href'), a.textContent])"
    )
    assert ["id/office/jpo.html", "Japan Patent Office"] in links
    assert page.page.evaluate("window.network.body.data.nodes.length") == len(links) == 5


REFUSED = {
    "SERVICE": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SERVICE SILENT": "SELECT * WHERE {\n  service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
    "INSERT": "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE": "DELETE WHERE { ?s ?p ?o }",
    "FROM": "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    "FROM NAMED": "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    # spellings that hide the keyword from a careless reader
    "long string with escaped quote": 'SELECT * WHERE { BIND("""x\\"""" AS ?z) SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } #"',
    "codepoint escape": "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "less-than, not an IRI": "SELECT * WHERE { ?s ?p ?o FILTER(?s<?o)SERVICE?v#>\n { ?s ?p ?o } }",
    "escaped quote in a prefixed name": "PREFIX ex: <http://e/>\nSELECT * WHERE { ?s ex:a\\' ?o . SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } #'",
    "subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } } }",
}


@browser_only
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unsafe_queries_are_refused_with_a_message(page, name):
    page.run_text(REFUSED[name])
    msg = page.error()
    assert re.match(r"line \d+, column \d+: refused: ", msg), msg
    assert page.page.text_content("#status") == "refused"


@browser_only
def test_keywords_inside_strings_iris_and_comments_are_not_refused(page):
    text = (
        'SELECT ?x WHERE { BIND("SERVICE <http://x> LOAD" AS ?x) '
        "FILTER(?x != <http://example.org/service>) } # SERVICE INSERT\n"
    )
    page.run_text(text)
    assert page.error() == ""
    assert page.raw_json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "SERVICE <http://x> LOAD"}}]


@browser_only
@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x WHERE {\n  ?x ?y\n}",
        "SELECT ?x WHERE { ?x ?y ?z } LIMT 3",
    ],
)
def test_syntax_errors_show_the_clis_line_and_column(page, text):
    page.run_text(text)
    want = re.search(r":(\d+):(\d+): SPARQL syntax error", cli("-e", text).stderr)
    assert want, "the CLI should reject it too"
    assert page.error().startswith(f"line {want.group(1)}, column {want.group(2)}: SPARQL syntax error")


@browser_only
def test_a_shared_link_opens_with_its_query_and_parameters(page, browser, site_dir):
    page.page.click("#queries li[data-name='05-heads-on-date'] button")
    runs = page.page.evaluate("ip5wb.runs")
    page.page.fill("#params input[data-param=date]", "2019-06-13")
    page.page.click("#run")
    wait_js(page.page, f"ip5wb.runs > {runs}")
    url = page.page.evaluate("location.href")
    assert "name=05-heads-on-date" in url and "date=2019-06-13" in url
    other = Page(browser, url)
    try:
        assert other.page.input_value("#params input[data-param=date]") == "2019-06-13"
        want = json.loads(cli("05-heads-on-date", "-p", "date=2019-06-13", "--format", "json").stdout)
        assert rows_of(other.raw_json(), True) == rows_of(want, True)
        assert want["results"]["bindings"]
        # the workbench link other pages make for an entity ("ask about this entity")
        other.page.evaluate(f"location.hash = {json.dumps(workbench.ask_link(JPO).split('#', 1)[1])}")
        wait_js(other.page, "ip5wb.runs > 1")
        text = other.page.input_value("#editor")
        assert f"<{JPO}>" in text
        assert rows_of(other.raw_json(), True) == rows_of(json.loads(cli("-e", text, "--format", "json").stdout), True)
        assert other.external == [] and other.errors == []
    finally:
        other.ctx.close()


HIDERS = [
    "",
    'BIND("""x\\"""" AS ?z) ',  # a long string ending in an escaped quote
    "BIND('''x\\'''' AS ?z) ",
    'BIND("a\\\\" AS ?z) ',  # an escaped backslash before the closing quote
    "# note\r",  # a comment ended by a carriage return
    "OPTIONAL { ?s ex:a\\' ?o } ",  # PN_LOCAL_ESC: a quote inside a prefixed name
    "OPTIONAL { ?s ex:a\\# ?o } ",  # ... and a hash
    'BIND("\\u0022" AS ?z) ',  # a quote as a codepoint escape inside a string
    "FILTER(1<2)",  # less-than, not the start of an IRI
]
SPELLINGS = [
    "SERVICE {t} {{ ?s ?p ?o }}",
    "service {t} {{ ?s ?p ?o }}",
    "SeRvIcE SILENT {t} {{ ?s ?p ?o }}",
    "{{ SELECT * WHERE {{ SERVICE {t} {{ ?s ?p ?o }} }} }}",
    "OPTIONAL {{ SERVICE {t} {{ ?s ?p ?o }} }}",
    "{{ ?s ?p ?o }} UNION {{ SERVICE {t} {{ ?s ?p ?o }} }}",
    "FILTER EXISTS {{ SERVICE {t} {{ ?s ?p ?o }} }}",
    "MINUS {{ SERVICE {t} {{ ?s ?p ?o }} }}",
]
TARGETS = ["<http://127.0.0.1:9/x>", "?v"]
BENIGN = [
    'SELECT ?x WHERE { BIND("SERVICE <http://x> { }" AS ?x) }',
    "SELECT ?x WHERE { BIND('''a\nSERVICE <http://x> {}\n''' AS ?x) }",
    "SELECT ?s WHERE { ?s <http://example.org/service> ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://x> { }",
    "PREFIX service: <http://e/>\nSELECT ?s WHERE { ?s service:load ?o }",
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
]


def corpus() -> list[str]:
    out = []
    for hider in HIDERS:
        for spelling in SPELLINGS:
            for target in TARGETS:
                clause = spelling.format(t=target)
                if hider == "FILTER(1<2)":
                    clause = clause.replace(" " + target, target + "#>\n", 1) if target == "?v" else clause
                out.append(
                    "PREFIX ex: <http://e/>\nSELECT * WHERE { VALUES ?v { <http://127.0.0.1:9/v> } "
                    f"VALUES (?s ?p ?o) {{ (<http://e/s> <http://e/p> <http://e/o>) }} {hider}{clause} }}"
                )
    return out


@browser_only
def test_the_check_refuses_every_service_the_engine_would_parse(page):
    """Cross-check against the engine's own parse: with the check bypassed, Oxigraph names the
    SERVICE it would call (it has no HTTP client in the browser); the check must refuse all of those."""
    verdicts = page.page.evaluate(
        """texts => texts.map(t => {
        let check = 'pass', engine = 'ok';
        try { ip5sparql.checkSafe(t, IP5_WORKBENCH.loaded); } catch (e) { check = e.kind + ': ' + e.message; }
        try { ip5wb.unchecked(t); } catch (e) { engine = String(e); }
        return [t, check, engine];
    })""",
        corpus() + BENIGN,
    )
    seen = [(t, c) for t, c, e in verdicts if re.search(r"service", e, re.I)]
    # every variant holds a SERVICE as the engine reads it (the engine names it where it evaluates
    # it: not under SILENT, nor where EXISTS/MINUS never run it); the check must refuse them all
    assert len(seen) >= len(corpus()) // 2
    leaks = [t for t, c, e in verdicts if t not in BENIGN and not c.startswith("unsafe: refused: SERVICE")]
    assert leaks == [] and all(c.startswith("unsafe") for _, c in seen)
    benign = {t: (c, e) for t, c, e in verdicts if t in BENIGN}
    assert all(c == "pass" and e == "ok" for c, e in benign.values()), benign


def test_the_files_are_deterministic():
    import ip5graph
    from ip5graph.web.entitypages import SiteData

    kg = ip5graph.open()
    triples, g = kg.triples(), kg.network().graph
    pages = SiteData(triples, g).pages
    first = workbench.site_files(triples, g, pages)
    assert workbench.site_files(triples, g, dict(reversed(list(pages.items())))) == first


@browser_only
def test_csv_download_is_the_clis_csv(page):
    page.page.click("#queries li[data-name='02-heads-meetings'] button")
    with page.page.expect_download() as info:
        page.page.click("#csv")
    got = Path(info.value.path()).read_bytes().decode("utf-8")
    # (text-mode subprocess output turns the CLI's CRLF into LF)
    assert got.endswith("\r\n") and got.split("\r\n") == cli("02-heads-meetings", "--format", "csv").stdout.split("\n")
    assert info.value.suggested_filename == "02-heads-meetings.csv"


@browser_only
def test_dates_draw_a_timeline(page):
    page.page.click("#queries li[data-name='02-heads-meetings'] button")
    want = json.loads(cli("02-heads-meetings", "--format", "json").stdout)["results"]["bindings"]
    dated = [b for b in want if "start" in b]
    assert dated and page.page.evaluate("document.querySelectorAll('#chart svg circle').length") == len(dated)


@browser_only
def test_a_bad_parameter_gets_the_clis_message(page):
    """An IRI parameter also takes a name (as the CLI's `-p person="Kasutani Toshihide"`): a name that is
    no entity, a misspelt one (the "did you mean" list) and an ambiguous one read as the CLI says them."""
    page.page.click("#queries li[data-name='03-meeting-participants'] button")
    said = {}
    for value in ("not an iri", "heads-2O21", "heads meeting"):
        runs = page.page.evaluate("ip5wb.runs")
        page.page.fill("#params input[data-param=meeting]", value)
        page.page.click("#run")
        wait_js(page.page, f"ip5wb.runs > {runs}")
        message = cli("03-meeting-participants", "-p", f"meeting={value}").stderr.strip()
        assert message.startswith("ip5graph: error: ") and page.error() == message.removeprefix("ip5graph: error: ")
        said[value] = page.error()
    assert "did you mean: meeting/heads-2021 (" in said["heads-2O21"] and "is ambiguous" in said["heads meeting"]


@browser_only
def test_a_parameter_given_by_name_binds_the_entity_the_cli_finds(page):
    page.page.click("#queries li[data-name='03-meeting-participants'] button")
    runs = page.page.evaluate("ip5wb.runs")
    page.page.fill("#params input[data-param=meeting]", "14th heads meeting")
    page.page.click("#run")
    wait_js(page.page, f"ip5wb.runs > {runs}")
    assert page.error() == ""
    want = json.loads(cli("03-meeting-participants", "-p", "meeting=14th heads meeting", "--format", "json").stdout)
    assert want["results"]["bindings"] and rows_of(page.raw_json(), True) == rows_of(want, True)


@browser_only
def test_from_the_loaded_graph_is_allowed(page):
    text = (
        "PREFIX ip5: <https://w3id.org/ip5graph/ontology#>\n"
        "SELECT ?office FROM <https://w3id.org/ip5graph/graph/all> WHERE { ?office a ip5:PatentOffice } ORDER BY ?office"
    )
    assert_same_rows_as_cli(page, text)


@browser_only
def test_an_error_after_the_bound_parameters_points_where_the_user_typed(page):
    """The parameters go into the text as a VALUES block; the position must not move with it."""
    page.page.click("#queries li[data-name='05-heads-on-date'] button")
    text = (
        "PREFIX ip5: <https://w3id.org/ip5graph/ontology#>\n"
        "SELECT ?date ?x WHERE { ?x ip5:startDate ?date . FILTER(?date > ) }"
    )
    page.run_text(text)
    want = re.search(r":(\d+):(\d+): SPARQL syntax error", cli("-e", text, "-p", "date=2021-06-23").stderr)
    assert want and page.error().startswith(f"line {want.group(1)}, column {want.group(2)}: SPARQL syntax error")


def test_entity_pages_and_navigation_link_the_workbench(views_kg, tmp_path):
    from ip5graph.web import site

    report = site.build_site(views_kg, tmp_path / "site")
    assert workbench.PAGE in report.pages and all(a in report.files for a in workbench.ASSET_ORDER)
    jpo = (report.out / "id" / "office" / "jpo.html").read_text(encoding="utf-8")
    assert 'href="../../query.html">Ask (SPARQL)</a>' in jpo
    assert f'href="{html.escape(workbench.ask_link(JPO, "../../"), quote=True)}"' in jpo
    assert 'href="query.html">Ask (SPARQL)</a>' in (report.out / "index.html").read_text(encoding="utf-8")
    assert 'href="query.html">Ask (SPARQL)</a>' in (report.out / "query.html").read_text(encoding="utf-8")


def test_an_inline_build_makes_one_self_contained_workbench(views_kg, tmp_path):
    from ip5graph.web import site

    report = site.build_site(views_kg, tmp_path / "site", inline=True)
    assert not [f for f in report.files if f.startswith("assets/")]
    text = (report.out / "query.html").read_text(encoding="utf-8")
    assert not re.search(r"^<script src=", text, re.M) and len(re.findall(r"^<script>", text, re.M)) == 5
    script_src = re.search(r"script-src ([^;]*);", text).group(1).split()
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 5 and "'unsafe-inline'" not in script_src


@browser_only
def test_the_inline_workbench_runs_under_its_hashed_policy(views_kg, tmp_path, browser):
    from ip5graph.web import site

    report = site.build_site(views_kg, tmp_path / "site", inline=True)
    tab = Page(browser, (report.out / "query.html").as_uri())
    try:
        assert tab.page.evaluate("window.network.body.data.nodes.length") > 0
        assert tab.error() == "" and tab.errors == [] and tab.external == []
    finally:
        tab.ctx.close()
