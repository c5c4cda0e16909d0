"""Every page `ip5graph build` writes, opened in headless Chromium (Debian's, never a downloaded one).

One browser for the whole module; each page in its own context with every non-file request
aborted and recorded. Checks per page: the vis canvas has drawn pixels, the node count equals the
projection's, no console or script error, no request other than file:/data:, and clicking a node
shows that node's sources. Then the XSS label, the Japanese search, the language switch, the class
filter and the source links are exercised on chosen pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import ip5graph
from ip5graph.network import navigation, projection
from ip5graph.rdf.namespaces import ID
from ip5graph.web import site, timeline

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = "<img src=x onerror=alert(1)>"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"
)

DRAWN_PIXELS = """() => {
  const c = document.querySelector('.vis-network canvas');
  if (!c || !c.width) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
  return n;
}"""

NODE_ON_SCREEN = """(id) => {
  network.moveTo({position: network.getPositions([id])[id], scale: 1.5, animation: false});
  network.redraw();
  const d = network.canvasToDOM(network.getPositions([id])[id]);
  const r = document.querySelector('#graph canvas').getBoundingClientRect();
  return {x: r.left + d.x, y: r.top + d.y};
}"""


def build(kg, out: Path):
    """The site of `kg` and, to check it against, the projection of the same graph."""
    return site.build_site(kg, out), projection.load(kg).graph, kg


@pytest.fixture(scope="module")
def built(tmp_path_factory, views_kg):
    return build(views_kg, tmp_path_factory.mktemp("browser") / "site")


def expected_nodes(rel: str, g, kg) -> int:
    """The node count each page must show, from the projection (not from the page)."""
    if rel == "overview.html":
        return len(g)
    if rel == "index.html":
        return min(site.INDEX_TOP, len(g))
    if rel == "timeline.html":
        return len(timeline.timeline_graph(g)[0])
    if rel == "statistics.html":
        from ip5graph.web import charts

        return len(charts.statistics_units(g))
    kind, _, name = rel.partition("/")
    if kind in site.PAGE_KINDS:
        return len(navigation.neighbourhood(g, ID + f"{kind}/{name[:-5]}", 1))
    assert kind == "queries"
    from ip5graph.query import catalogue

    q = catalogue.find(name[:-5])
    result = kg.query(q.name, **q.example_bindings())
    return len(navigation.result_graph(g, result))


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Tab:
    """One page in a fresh context, with everything it asks of the network and the console."""

    def __init__(self, browser, path: Path) -> None:
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.ctx.route(re.compile(r"^(https?|wss?|ftp)://"), self._abort)
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else self.external.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")
        self.page.wait_for_function("window.ip5DrawnAt !== undefined", timeout=20000)

    def _abort(self, route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def data(self) -> dict:
        return json.loads(self.page.evaluate("document.getElementById('ip5-data').textContent"))

    def click_node(self, idx: int) -> None:
        at = self.page.evaluate(NODE_ON_SCREEN, idx)
        self.page.mouse.click(at["x"], at["y"])

    def __enter__(self) -> Tab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.ctx.close()


def node_index(data: dict, iri: str) -> int:
    return next(i for i, n in enumerate(data["nodes"]) if n["iri"] == iri)


def check_pages(report, g, kg, browser, pages=None) -> list[str]:
    """Open the pages (default: every page) of a built site; the problems found, one line each."""
    problems = []
    for rel in report.pages if pages is None else pages:
        with Tab(browser, report.out / rel) as tab:
            want = expected_nodes(rel, g, kg)
            got = tab.page.evaluate("window.nodes.length")
            if got != want or want == 0:
                problems.append(f"{rel}: {got} nodes shown, projection has {want}")
            if tab.page.evaluate(DRAWN_PIXELS) <= 0:
                problems.append(f"{rel}: canvas is blank")
            data = tab.data()
            target = (
                data["focus"]
                if data["focus"] is not None and data["nodes"][data["focus"]].get("src")
                else next(i for i, n in enumerate(data["nodes"]) if n.get("src"))
            )
            tab.click_node(target)
            shown = tab.page.get_attribute("#details", "data-node")
            if shown is None:
                problems.append(f"{rel}: clicking a node opened no details")
            else:
                node = data["nodes"][int(shown)]
                ids = tab.page.eval_on_selector_all(
                    "#details-sources li > strong", "els => els.map(e => e.textContent)"
                )
                want_ids = [data["sources"][i]["id"] for i in node.get("src", [])]
                if not ids or ids != want_ids:
                    problems.append(f"{rel}: details of {node['label']} list sources {ids}, expected {want_ids}")
            if tab.errors:
                problems.append(f"{rel}: console errors {tab.errors[:3]}")
            if tab.external:
                problems.append(f"{rel}: external requests {tab.external[:3]}")
            if tab.dialogs:
                problems.append(f"{rel}: a script opened a dialog {tab.dialogs}")
    return problems


# one page of each kind: the short suite's browser check (the long suite opens every page)
REPRESENTATIVE = (
    "index.html",
    "overview.html",
    "timeline.html",
    "office/jpo.html",
    "person/kasutani-toshihide.html",
    "meeting/heads-2021.html",
    "queries/03-meeting-participants.html",
)


def test_representative_pages_render_offline_and_show_sources_on_click(built, browser):
    report, g, kg = built
    assert set(REPRESENTATIVE) <= set(report.pages)
    assert check_pages(report, g, kg, browser, REPRESENTATIVE) == []


@pytest.mark.long
def test_every_page_renders_offline_and_shows_sources_on_click(built, browser):
    report, g, kg = built
    assert check_pages(report, g, kg, browser) == []
    assert len(report.pages) >= 30


@pytest.mark.long
def test_every_page_of_the_bundled_graph(browser, tmp_path):
    """The same checks on the site of the real data, as `ip5graph build` writes it."""
    report, g, kg = build(ip5graph.open(), tmp_path / "site")
    assert check_pages(report, g, kg, browser) == []
    assert len(report.pages) > 100


def test_xss_label_shows_as_text_and_runs_nothing(built, browser):
    report, _, _ = built
    with Tab(browser, report.out / "person" / "xss-test.html") as tab:
        assert tab.page.text_content("#details h2") == XSS  # the focus node's details open on load
        assert tab.page.text_content("#details p") == "</script><script>alert(3)</script>"
        tab.page.fill("#search", "onerror")
        assert tab.page.text_content("#search-results button") == XSS
        tab.page.click("#search-results button")
        assert tab.page.evaluate("document.querySelectorAll('img').length") == 0
        tab.page.wait_for_timeout(300)
        assert tab.dialogs == [] and tab.errors == []


def test_search_finds_nodes_by_native_labels(built, browser):
    report, _, _ = built
    with Tab(browser, report.out / "overview.html") as tab:
        for query, label in (
            ("糟谷", "Kasutani Toshihide"),
            ("特許庁", "Japan Patent Office"),
            ("특허청", "Korean Intellectual Property Office"),
            ("成都", "Chengdu"),
            ("toshihide kasutani", "Kasutani Toshihide"),
        ):
            tab.page.fill("#search", query)
            assert tab.page.eval_on_selector_all("#search-results button", "bs => bs.map(b => b.textContent)") == [
                label
            ]
        tab.page.fill("#search", "糟谷")
        tab.page.click("#search-results button")
        assert tab.page.text_content("#details h2") == "Kasutani Toshihide"
        names = tab.page.eval_on_selector_all("#details li", "els => els.map(e => e.textContent)")
        assert "ja: 糟谷敏秀" in names


def test_language_switch_and_class_filter(built, browser):
    report, g, _ = built
    with Tab(browser, report.out / "overview.html") as tab:
        data = tab.data()
        jpo, kipo = node_index(data, ID + "office/jpo"), node_index(data, ID + "office/kipo")
        assert tab.page.eval_on_selector_all("#lang option", "os => os.map(o => o.value)") == ["en", "ja", "zh", "ko"]
        tab.page.select_option("#lang", "ja")
        assert tab.page.evaluate(f"window.nodes.get({jpo}).label") == "特許庁"
        assert tab.page.evaluate(f"window.nodes.get({kipo}).label") == "Korean Intellectual Property Office"
        tab.page.select_option("#lang", "ko")
        assert tab.page.evaluate(f"window.nodes.get({kipo}).label") == "특허청"
        people = sum(1 for v in g if g.nodes[v]["kind"] == "person")
        tab.page.uncheck("#legend input[data-class='person']")
        assert tab.page.evaluate("window.nodes.get({filter: n => n.hidden}).length") == people
        tab.page.check("#legend input[data-class='person']")
        assert tab.page.evaluate("window.nodes.get({filter: n => n.hidden}).length") == 0


def test_only_http_addresses_become_links(built, browser):
    report, _, _ = built
    with Tab(browser, report.out / "person" / "kasutani-toshihide.html") as tab:
        data = tab.data()
        tab.click_node(node_index(data, ID + "person/kasutani-toshihide"))
        items = tab.page.eval_on_selector_all("#details-sources li", "els => els.map(e => e.textContent)")
        assert any("javascript:alert(2)" in t for t in items)  # shown, as text
        hrefs = tab.page.eval_on_selector_all("#details a[href]", "as => as.map(a => [a.getAttribute('href'), a.rel])")
        assert hrefs == [["../person/kasutani-toshihide.html", ""]]  # only its own page link
        tab.click_node(node_index(data, ID + "office/jpo"))
        hrefs = tab.page.eval_on_selector_all("#details-sources a", "as => as.map(a => [a.href, a.rel])")
        assert hrefs == [["https://www.jpo.go.jp/e/news/kokusai/ip5/index.html", "noopener noreferrer"]]
        assert tab.external == []  # showing a link fetches nothing
