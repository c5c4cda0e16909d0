"""The in-browser workbench (query.html) against the Python API, measured in one run.

Builds query.html and its assets for the bundled graph, opens it from file:// in Debian's headless
Chromium (every non-file request aborted), and measures:
  - ready: from navigation start to "graph loaded" (wasm compiled, N-Triples parsed, labels
    picked), the page's own performance.now(), median over --loads fresh page loads;
  - each named query with its example parameters: the median of --runs executions in the page
    (check, bind, Oxigraph wasm, JSON parse), beside the same query on a warm in-memory store in
    this process (`ip5graph.open().query(name, **example)`, which also prepares and builds a Result).
Prints the page weight, the table with the browser/Python ratio, and the targets (ready < 2 s,
every query < 200 ms) as met or missed; timings are printed, never asserted.

    python benchmarks/workbench.py [--runs 15] [--loads 5]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from views import ARGS, CHROMIUM  # noqa: E402  (benchmarks/views.py: Debian's Chromium and its flags)

READY_TARGET_MS = 2000.0
QUERY_TARGET_MS = 200.0


def build(out: Path) -> dict[str, int]:
    """query.html and its assets in `out`; their sizes in bytes."""
    import ip5graph
    from ip5graph.web import render, site, workbench
    from ip5graph.web.entitypages import SiteData

    kg = ip5graph.open()
    triples, g = kg.triples(), kg.network().graph
    pages = SiteData(triples, g).pages
    files = workbench.site_files(triples, g, pages)
    files[site.VIS_ASSET] = render.vis_network_js()
    sizes = {}
    for rel, text in files.items():
        data = text.encode("utf-8")
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
        sizes[rel] = len(data)
    return sizes


def wait(page, expr: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expr):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {expr}")
        page.wait_for_timeout(10)


def open_page(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    ctx.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    wait(page, "window.ip5wb && (ip5wb.error || ip5wb.ready)")
    error = page.evaluate("ip5wb.error")
    if error:
        raise SystemExit(f"query.html failed to load: {error}")
    return ctx, page


BROWSER_RUN = """([text, params, declared, runs]) => {
  const times = [];
  let rows = null;
  for (let i = 0; i < runs + 2; i++) {
    const t = performance.now();
    const r = ip5wb.execute(text, declared, params);
    const dt = performance.now() - t;
    if (i >= 2) times.push(dt);
    rows = r.quads ? r.quads.length : (r.json.results ? r.json.results.bindings.length : 1);
  }
  return [times, rows];
}"""


def python_times(kg, name: str, params: dict[str, str], runs: int) -> tuple[list[float], int]:
    kg.query(name, **params)  # warm: store loaded, query text read once
    times, n = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        n = len(kg.query(name, **params))
        times.append((time.perf_counter() - t) * 1000)
    return times, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--loads", type=int, default=5)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    import ip5graph
    from ip5graph.query import catalogue

    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        out = Path(tmp)
        sizes = build(out)
        total = sum(sizes.values())
        print("page weight (query.html and what it loads):")
        for rel, size in sorted(sizes.items()):
            gz = len(gzip.compress((out / rel).read_bytes()))
            print(f"  {rel:32} {size / 1024:9.1f} KiB   gzip {gz / 1024:8.1f} KiB")
        print(f"  {'total':32} {total / 1024:9.1f} KiB")
        url = (out / "query.html").as_uri()
        queries = catalogue.catalogue()
        kg = ip5graph.open()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            ready, walls = [], []
            for _ in range(args.loads):
                t = time.perf_counter()
                ctx, page = open_page(browser, url)
                walls.append((time.perf_counter() - t) * 1000)
                ready.append(page.evaluate("ip5wb.readyMs"))
                ctx.close()
            ctx, page = open_page(browser, url)
            rows = []
            for q in queries:
                params = q.example_bindings()
                declared = [{"name": x.name, "type": x.type} for x in q.params]
                b_times, b_n = page.evaluate(BROWSER_RUN, [q.text, params, declared, args.runs])
                p_times, p_n = python_times(kg, q.name, params, args.runs)
                rows.append((q.name, statistics.median(b_times), statistics.median(p_times), b_n, p_n))
            ctx.close()
            browser.close()
    r_med = statistics.median(ready)
    print(
        f"\nready (navigation start -> graph loaded), median of {args.loads} loads: {r_med:.0f} ms "
        f"(min {min(ready):.0f}, max {max(ready):.0f}; wall from goto {statistics.median(walls):.0f} ms)"
        f" target < {READY_TARGET_MS:.0f} ms: {'met' if r_med < READY_TARGET_MS else 'MISSED'}"
    )
    print(f"\nmedian of {args.runs} runs per query (example parameters), milliseconds:")
    print(f"{'query':28} {'browser':>9} {'python':>9} {'ratio':>7} {'rows':>6}")
    for name, b, py, b_n, p_n in rows:
        flag = "" if b < QUERY_TARGET_MS else "  over target"
        same = "" if b_n == p_n else f"  ROW COUNTS DIFFER ({b_n} vs {p_n})"
        print(f"{name:28} {b:9.2f} {py:9.2f} {b / py:6.1f}x {b_n:6d}{flag}{same}")
    b_all = [r[1] for r in rows]
    ratio = statistics.median(r[1] / r[2] for r in rows)
    print(
        f"\nslowest in the browser: {max(b_all):.1f} ms; median ratio browser/python {ratio:.1f}x; "
        f"target every query < {QUERY_TARGET_MS:.0f} ms: {'met' if max(b_all) < QUERY_TARGET_MS else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
