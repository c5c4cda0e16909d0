"""The built site (web.site) in Debian's headless Chromium: search from the home page, names language kept across
pages, no sideways scroll on a phone, keyboard access to graph and timeline details, pages readable
with JavaScript off, labels of the overview not overlapping, and an axe-core scan per kind of page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserkit import ARGS, CHROMIUM, wait_js
from netgraph import FIXTURE

import ip5graph
from ip5graph.web import site as web_site

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium not installed (.ci/run installs it)"
)

KINDS = (
    "index.html",
    "overview.html",
    "timeline.html",
    "ontology.html",
    "id/meeting/heads-2021.html",
    "id/person/kasutani-toshihide.html",
    "id/office/jpo.html",
    "id/source/s110.html",
    "id/role/chair.html",
    "queries/03-meeting-participants.html",
)

DRAWN_PIXELS = """() => {
  const c = document.querySelector('.vis-network canvas');
  if (!c || !c.width) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
  return n;
}"""

OVERLAPS = """() => {
  const ids = window.nodes.getIds({filter: n => !n.hidden && n.label});
  const view = network.getViewPosition(), scale = network.getScale();
  const c = document.querySelector('#graph canvas').getBoundingClientRect();
  const w = c.width / scale / 2, h = c.height / scale / 2;
  const seen = [];
  for (const id of ids) {
    const b = network.getBoundingBox(id);
    if (b.right < view.x - w || b.left > view.x + w || b.bottom < view.y - h || b.top > view.y + h) continue;
    seen.push(b);
  }
  let pairs = 0;
  for (let i = 0; i < seen.length; i++) for (let j = i + 1; j < seen.length; j++) {
    const a = seen[i], b = seen[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) pairs++;
  }
  const font = JSON.parse(document.getElementById('ip5-data').textContent).font_size || 14;
  return {pairs: pairs, shown: seen.length, fontPx: font * scale, scale: scale};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return web_site.build_site(ip5graph.open(data=[FIXTURE]), tmp_path_factory.mktemp("wb") / "site").out


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    return web_site.build_site(ip5graph.open(), tmp_path_factory.mktemp("wr") / "site").out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Context:
    """A browser context that aborts and records every request leaving file://."""

    def __init__(self, browser, **kwargs) -> None:
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        self.ctx = browser.new_context(service_workers="block", **kwargs)
        self.external: list[str] = []
        self.errors: list[str] = []
        self.ctx.route(re.compile(r"^(https?|wss?|ftp)://"), self._abort)

    def _abort(self, route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def open(self, path: Path, *, drawn: bool = True):
        page = self.ctx.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        if drawn:
            wait_js(page, "window.ip5DrawnAt !== undefined", timeout=20)
        return page

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.ctx.close()


def test_site_search_from_the_home_page(real_site, browser):
    with Context(browser) as c:
        page = c.open(real_site / "index.html")
        for query, want in (
            ("Kasutani Toshihide", "kasutani-toshihide"),
            ("糟谷敏秀", "kasutani-toshihide"),
            ("糟谷", "kasutani-toshihide"),
            ("toshihide kasutani", "kasutani-toshihide"),
            ("Kasut", "kasutani-toshihide"),
            ("Hirschfeld", "drew-hirshfeld"),
            ("choi donggyou", "choi-dong-kyu"),
            ("Francis Garry", "francis-gurry"),
            ("ono yota", "yota-ono"),
        ):
            page.fill("#site-q", query)
            first = page.locator("#site-q-results a").first
            assert first.get_attribute("href") == f"id/person/{want}.html", query
        page.fill("#site-q", "特許庁")
        assert page.locator("#site-q-results a").first.get_attribute("href") == "id/office/jpo.html"
        page.fill("#site-q", "糟谷敏秀")
        page.press("#site-q", "Enter")
        page.wait_for_url(re.compile(r"id/person/kasutani-toshihide\.html$"))
        assert page.text_content("h1").strip() == "Kasutani Toshihide"
        page.fill("#site-q", "USPTO")  # from an entity page, the relative link still works
        page.press("#site-q", "Enter")
        page.wait_for_url(re.compile(r"id/office/uspto\.html$"))
        assert c.external == [] and c.errors == []


def test_language_choice_applies_to_names_and_persists(site, browser):
    with Context(browser) as c:
        page = c.open(site / "id/meeting/heads-2021.html")
        options = page.eval_on_selector_all("#lang-choice option", "os => os.map(o => o.textContent)")
        assert options == ["English", "日本語 (Japanese)", "中文 (Chinese)", "한국어 (Korean)"]
        page.select_option("#lang-choice", "ja")
        host = page.locator("a[data-e='id/office/jpo']").first
        assert host.text_content() == "特許庁" and host.get_attribute("lang") == "ja"
        assert page.locator("a[data-e='id/office/epo']").first.text_content() == "European Patent Office"
        page.click("a[data-e='id/person/kasutani-toshihide']")
        page.wait_for_url(re.compile(r"kasutani-toshihide\.html$"))
        wait_js(page, "window.ip5DrawnAt !== undefined")
        assert page.input_value("#lang-choice") == "ja"
        assert page.text_content("h1 span[data-e]") == "糟谷敏秀"
        focus = page.evaluate("window.nodes.get({filter: n => n.borderWidth === 4})[0].label")
        assert focus == "糟谷敏秀"  # the graph follows the page's language
        page.select_option("#lang-choice", "en")
        assert page.text_content("h1 span[data-e]") == "Kasutani Toshihide"


@pytest.mark.parametrize("rel", KINDS)
def test_no_sideways_scroll_on_a_phone(real_site, browser, rel):
    site = real_site
    path = site / rel
    with Context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as c:
        page = c.open(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{rel}: page is {width}px wide"
        canvas = page.evaluate("document.querySelector('#graph canvas').getBoundingClientRect().width")
        assert canvas >= 300  # the graph stacks, full width
        assert c.external == [] and c.errors == []


def test_pages_readable_without_javascript(site, browser):
    with Context(browser, java_script_enabled=False) as c:
        meeting = c.open(site / "id/meeting/heads-2021.html", drawn=False)
        facts = meeting.inner_text("table:has(caption:text('Facts about'))")
        assert "23 June 2021" in facts and "Japan Patent Office" in facts and "Kasutani Toshihide" in facts
        participants = meeting.inner_text("table:has(caption:text('Who took part'))")
        assert "chair" in participants and "S00b" in participants
        assert "S00a" in meeting.inner_text("table:has(caption:text('Sources of'))")
        person = c.open(site / "id/person/kasutani-toshihide.html", drawn=False)
        posts = person.inner_text("table:has(caption:text('Posts held by'))")
        assert "20 July 2020" in posts and "Japan Patent Office" in posts and "S61" in posts
        office = c.open(site / "id/office/uspto.html", drawn=False)
        heads = office.inner_text("table:has(caption:text('Heads of'))")
        assert "Drew Hirshfeld" in heads and "23 June 2021" in heads and "acting" in heads and "S00b" in heads
        assert office.is_visible("a[href='uspto.ttl']")


def test_graph_node_and_timeline_bar_by_keyboard(site, browser):
    with Context(browser) as c:
        page = c.open(site / "id/meeting/heads-2021.html")
        page.click("details.node-list summary")
        button = page.locator("button.show-node").nth(2)
        button.focus()
        page.keyboard.press("Enter")
        node = int(page.get_attribute("#details", "data-node"))
        label = page.evaluate(f"JSON.parse(document.getElementById('ip5-data').textContent).nodes[{node}].label")
        assert page.text_content("#details h3") == label
        assert page.evaluate("window.network.getSelectedNodes()") == [node]
        assert page.locator("#details a").first.get_attribute("href").endswith(".html")
        timeline = c.open(site / "timeline.html")
        for _ in range(60):  # Tab from the top until a bar has focus
            timeline.keyboard.press("Tab")
            if timeline.evaluate("document.activeElement.classList.contains('tl-item')"):
                break
        details = timeline.text_content("#timeline-details")
        assert (
            "Sources" in details and timeline.evaluate("document.activeElement.getAttribute('data-details')") in details
        )
        timeline.keyboard.press("Enter")
        timeline.wait_for_url(re.compile(r"id/(meeting|person)/[a-z0-9-]+\.html$"))


def test_overview_labels_readable_at_first_sight(real_site, browser):
    with Context(browser, viewport={"width": 1400, "height": 900}) as c:
        page = c.open(real_site / "overview.html")
        page.wait_for_timeout(300)
        m = page.evaluate(OVERLAPS)
        assert m["fontPx"] >= 5  # vis draws labels from 5 px on
        assert m["shown"] >= 60 and m["pairs"] < 5, m
        classes = page.evaluate("""() => { const d = JSON.parse(document.getElementById('ip5-data').textContent);
            const s = new Set(d.start); const out = {};
            d.nodes.forEach((n, i) => { if (s.has(i)) { const c = d.classes[n.c].label; out[c] = (out[c] || 0) + 1; } });
            return out; }""")
        assert classes.get("patent office") == 5 and classes.get("person", 0) > 50
        page.uncheck("#legend input[data-class='person']")  # filtering re-fits the view
        assert page.evaluate("network.getScale()") != pytest.approx(m["scale"])


def test_axe_finds_no_serious_or_critical_violation(real_site, browser):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    problems = []
    with Context(browser) as c:
        for rel in KINDS:
            page = c.open(real_site / rel)
            result = axe.run(page)
            for v in result.response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{rel}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}")
            page.close()
    assert problems == []


@pytest.mark.long
def test_every_page_of_the_bundled_graph_draws_offline(real_site, browser):
    """Every page (long: ~500 pages): a drawn graph with nodes, no console error, nothing fetched."""
    problems = []
    with Context(browser) as c:
        for path in sorted(real_site.rglob("*.html")):
            page = c.open(path)
            rel = path.relative_to(real_site).as_posix()
            if page.evaluate("window.nodes.length") < 1 or page.evaluate(DRAWN_PIXELS) <= 0:
                problems.append(f"{rel}: graph not drawn")
            page.close()
        problems += [f"console: {e}" for e in c.errors[:5]] + [f"request: {u}" for u in c.external[:5]]
    assert problems == []
