"""What `ip5graph build` costs: the whole site of the real graph, and the cost per page as the graph
grows (synthetic graphs, benchmarks/synthetic.py, seeded; asked for 1e4 and 1e5 triples, they have
about 4.3e4 and 1e5, and the rows are labelled with the real count).

Per page = (build time - the fixed part: loading, downloads, queries) / pages, measured with
process CPU time (the machine is shared; wall time is printed too). "Flat" means the 1e5 figure
stays within a small factor of the smallest one: every page costs dict lookups and a layout of its
own neighbourhood (capped), never a pass over the whole graph. Prints ratios against the smallest
synthetic run of the same process.

It also times the overview of the 10k-node benchmark graph (benchmarks/views.synthetic): its
band layout and page in Python, and the first vis-network frame in Debian's Chromium (--no-browser
skips that).

    python benchmarks/site.py [--sizes 10000,100000] [--no-real] [--no-browser]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ip5graph  # noqa: E402
from ip5graph.web import build, site  # noqa: E402


def measure(kg: object, out: Path) -> dict[str, float]:
    """Build once; CPU and wall seconds for the whole build and for the entity pages alone."""
    spent = {"pages": 0.0}
    original = build.entity_files

    def timed(sd, iri, **kw):  # type: ignore[no-untyped-def]
        t = time.process_time()
        yield from original(sd, iri, **kw)  # the time includes writing the files: part of a page's cost
        spent["pages"] += time.process_time() - t

    build.entity_files = timed
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        report = site.build_site(kg, out)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        build.entity_files = original
    n = len(report.entity_pages)
    return {
        "cpu": cpu,
        "wall": wall,
        "entities": n,
        "pages": len(report.pages),
        "per_page_ms": 1000 * spent["pages"] / max(n, 1),
    }


def overview_10k(folder: Path, browser: bool, n: int = 10000) -> dict[str, float]:
    """The overview page of an n-node graph: seconds to lay out and write, ms to first frame."""
    import views as view_bench
    from markupsafe import Markup

    from ip5graph.web import overview, render, templating
    from ip5graph.web.pages import json_for_html, page_data

    g = view_bench.synthetic(n)
    t = time.perf_counter()
    pos, start = overview.band_layout(g)
    data = page_data(g, positions=pos)
    data.update({"start": overview.start_indices(g, start), "edge_text": False, "label_width": overview.LABEL_WIDTH})
    graph = {
        "data": Markup(json_for_html(data)),
        "heading": "The whole graph",
        "full": True,
        "node_list": [],
        "summary": "",
        "alt": "graph",
        "open_list": False,
        "first": True,
    }
    page = templating.render(
        "page.html.j2", title="Overview", root="", heading="Overview", lead="", body="", tables=[], graph=graph
    )
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "overview.html").write_text(page, encoding="utf-8")
    build_s = time.perf_counter() - t
    for name in build.ASSETS:
        (folder / "assets" / name).write_text(templating.asset(name), encoding="utf-8")
    (folder / "assets/search-index.js").write_text('window.IP5_INDEX = {"e": []};\n', encoding="utf-8")
    (folder / build.VIS_ASSET).write_text(render.vis_network_js(), encoding="utf-8")
    drawn = float("nan")
    if browser:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=view_bench.CHROMIUM, headless=True, args=view_bench.ARGS)
            drawn = view_bench.drawn_ms(b, folder / "overview.html")
            b.close()
    return {"nodes": len(g), "build_s": build_s, "drawn_ms": drawn}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    import synthetic

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_real:
            rows.append(("real graph", measure(ip5graph.open(), Path(tmp) / "real")))
        for size in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"syn{size}"
            gen = synthetic.generate(size)
            synthetic.write(gen, str(data))
            kg = ip5graph.open(data=[data])
            name = f"synthetic {synthetic.size_label(gen.w.count)}"  # the real size, not the one asked for
            rows.append((name, measure(kg, Path(tmp) / f"site{size}")))
        big = overview_10k(Path(tmp) / "overview10k", not args.no_browser)
    base = next((m for name, m in rows if name.startswith("synthetic")), rows[0][1])
    print(f"{'graph':<20} {'pages':>7} {'build cpu s':>12} {'wall s':>8} {'ms/entity page':>15} {'ratio':>6}")
    for name, m in rows:
        ratio = m["per_page_ms"] / base["per_page_ms"] if base["per_page_ms"] else 0.0
        print(
            f"{name:<20} {m['pages']:>7,} {m['cpu']:>12.2f} {m['wall']:>8.2f} {m['per_page_ms']:>15.2f} {ratio:>6.2f}"
        )
    print(f"overview of {big['nodes']:,} nodes: built in {big['build_s']:.2f} s, first frame {big['drawn_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
