"""The statistics page (web/charts.py): what each chart draws, and the page in headless Chromium.

The browser part opens statistics.html of the real site from file:// with every other request
aborted, and checks that the charts are drawn, the tables are there with captions and header
scopes, a point's source is reachable with the keyboard, and a 390 px screen has no sideways scroll.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserkit import ARGS, CHROMIUM, wait_js

import ip5graph
from ip5graph.web import charts, site


@pytest.fixture(scope="module")
def data() -> dict[str, dict]:
    return {c["key"]: c for c in charts.statistics_data(ip5graph.open())}


def test_each_chart_keeps_to_its_measures(data: dict[str, dict]) -> None:
    assert set(data) == {"applications", "grants", "pct", "ip5", "share"}
    assert {p["series"] for p in data["applications"]["points"]} == {"CNIPA", "EPO", "JPO", "KIPO", "USPTO"}
    # the share chart never mixes the IP5 share with WIPO's five-largest-offices share
    share = {p["series"] for p in data["share"]["points"]}
    assert "filed at the IP5 offices" in share and "filed at the five largest offices (WIPO)" in share
    top5 = sorted((p["year"], p["value"]) for p in data["share"]["points"] if "(WIPO)" in p["series"])
    assert top5 == [(2007, 75.2), (2015, 82.5), (2017, 84.5), (2022, 84.9), (2024, 85.5)]


def test_the_line_goes_through_the_most_precise_value_and_every_value_is_a_point(data: dict[str, dict]) -> None:
    epo = [p for p in data["applications"]["points"] if p["series"] == "EPO" and p["year"] == 2021]
    assert sorted(p["value"] for p in epo) == [188600.0, 188809.0]  # C22: both are points
    assert [p["value"] for p in epo if p["line"]] == [188809.0]  # 188 809 is stated to the unit
    ip5 = [p for p in data["ip5"]["points"] if p["series"] == "applications received" and p["year"] == 2012]
    assert [p["value"] for p in ip5 if p["line"]] == [1876000.0]  # not "nearly 1.9 million"
    grants = [p for p in data["ip5"]["points"] if p["series"] == "patents granted" and p["year"] == 2019]
    rejected = [p for p in grants if p["rejected"]]
    assert [p["value"] for p in rejected] == [1250000.0] and not rejected[0]["line"]  # C23


def test_undated_values_are_in_the_table_only(data: dict[str, dict]) -> None:
    rows = {r["year"] for r in data["share"]["rows"]}
    assert {"2006-2010", "not stated"} <= rows
    assert all(isinstance(p["year"], int) for p in data["share"]["points"])


def test_the_page_text_is_deterministic() -> None:
    a = charts.statistics_extra(ip5graph.open())
    b = charts.statistics_extra(ip5graph.open())
    assert a == b
    assert '<script type="module"' not in a and "fetch(" not in charts._script()


# ---------------------------------------------------------------- in the browser

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = site.build_site(ip5graph.open(), tmp_path_factory.mktemp("charts") / "site")
    assert "statistics.html" in report.pages
    index = (report.out / "index.html").read_text(encoding="utf-8")
    assert 'href="statistics.html"' in index  # in the site's navigation
    return report.out / "statistics.html"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (.ci/run installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, width: int):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")
    seen: dict[str, list[str]] = {"external": [], "errors": []}

    def abort(route) -> None:
        seen["external"].append(route.request.url)
        route.abort()

    ctx.route(re.compile(r"^(https?|wss?|ftp)://"), abort)
    page = ctx.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else seen["external"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    wait_js(page, "document.querySelectorAll('#chart-share svg a').length > 0", timeout=20)
    return ctx, page, seen


@pytest.mark.long
def test_charts_are_drawn_offline_beside_their_tables(browser, page_path: Path, data: dict[str, dict]) -> None:
    ctx, page, seen = open_page(browser, page_path, 1280)
    try:
        for key, chart in data.items():
            # one link (a point) per charted value, in the drawn SVG
            points = page.eval_on_selector_all(f"#chart-{key} svg a circle", "els => els.length")
            assert points == len(chart["points"]) > 0, key
            paths = page.eval_on_selector_all(
                f"#chart-{key} svg path", "els => els.filter(e => e.getAttribute('d')).length"
            )
            assert paths > 0, key  # the lines
            caption = page.text_content(f"#table-{key} caption")
            assert chart["title"] in caption
            assert page.eval_on_selector_all(f"#table-{key} thead th[scope=col]", "els => els.length") == 5
            rows = page.eval_on_selector_all(f"#table-{key} tbody th[scope=row]", "els => els.length")
            assert rows == len(chart["rows"])
            # beside: the table's box starts to the right of the chart's on a wide screen
            chart_box = page.eval_on_selector(f"#chart-{key}", "e => e.getBoundingClientRect().right")
            table_box = page.eval_on_selector(f"#table-{key}", "e => e.getBoundingClientRect().left")
            assert table_box >= chart_box
        assert seen["external"] == [] and seen["errors"] == []
        assert page.evaluate("window.nodes.length") > 0  # the site's graph of the offices is there too
    finally:
        ctx.close()


def test_a_points_source_is_reachable_by_keyboard(browser, page_path: Path) -> None:
    ctx, page, seen = open_page(browser, page_path, 1280)
    try:
        page.evaluate("document.activeElement.blur()")
        label = ""
        for _ in range(400):  # Tab through the page until a chart point has the focus
            page.keyboard.press("Tab")
            label = page.evaluate(
                "(() => { const a = document.activeElement; return a && a.closest('.chart svg') ? "
                "a.getAttribute('aria-label') : ''; })()"
            )
            if label:
                break
        assert re.search(r"\((S\d+|S-\w+) (official|secondary)", label), label
        chart = page.evaluate("document.activeElement.closest('.chart').dataset.chart")
        assert label in page.text_content(f"#note-{chart}")  # shown on focus, and read out (aria-live)
        href = page.evaluate("document.activeElement.getAttribute('href')")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == href
        row = page.locator(f"tr{href}")
        assert row.count() == 1
        links = row.locator("a")
        assert links.count() >= 1
        sid = re.search(r"\((S[\w-]+) ", label).group(1)
        assert sid in links.first.text_content()
        assert seen["errors"] == []
    finally:
        ctx.close()


@pytest.mark.long
def test_readable_on_a_phone(browser, page_path: Path) -> None:
    ctx, page, seen = open_page(browser, page_path, 390)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        widths = page.eval_on_selector_all(".chart svg", "els => els.map(e => e.getBoundingClientRect().right)")
        assert widths and max(widths) <= 390
        assert seen["external"] == [] and seen["errors"] == []
    finally:
        ctx.close()
