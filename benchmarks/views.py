"""How long an HTML view takes to build and to draw, next to pyvis, on synthetic graphs.

For 1k and 10k nodes (powerlaw-cluster graphs, ~2 links per node, with the attributes a real
projection carries: labels in two languages, class, dates, sources) this measures, in one run:
  ours   views.build_html (seeded layout + JSON + template, vis-network inlined) + atomic write
  pyvis  Network(cdn_resources="in_line").from_nx(G) + write_html (its own template, no layout)
  drawn  ms from navigation start until our page's first vis-network frame, in headless Chromium
         (Debian's /usr/bin/chromium, every non-file request aborted)
and prints a table with the ratio pyvis / ours. Targets (issue 4): 10k built < 1 s, drawn < 3 s.

    python benchmarks/views.py [--sizes 1000,10000] [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import ARGS, CHROMIUM  # noqa: E402,F401  (the browser tests' Chromium and flags; workbench.py too)

from ip5graph.rdf.namespaces import ID, IP5  # noqa: E402
from ip5graph.web import render as views  # noqa: E402

CLASSES = [
    (IP5 + "HeadsMeeting", "heads of office meeting"),
    (IP5 + "PatentOffice", "patent office"),
    ("http://xmlns.com/foaf/0.1/Person", "person"),
    (IP5 + "Initiative", "initiative"),
    (IP5 + "Place", "place"),
    (IP5 + "OutcomeDocument", "outcome document"),
]


def synthetic(n: int, seed: int = 5) -> nx.MultiDiGraph:
    """A projection-shaped graph: node ids are IRIs, attributes as network.project writes them."""
    rng = random.Random(seed)
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    g = nx.MultiDiGraph()
    g.graph["sources"] = {
        f"{ID}source/s{i}": {
            "id": f"S{i}",
            "label": f"S{i}: synthetic source",
            "tier": "official",
            "address": f"https://example.org/s{i}",
        }
        for i in range(200)
    }
    for v in sorted(base):
        cls, cls_label = CLASSES[v % len(CLASSES)]
        iri = f"{ID}thing/n{v:06d}"
        labels = {"en": [f"Entity {v}"]}
        if v % 5 == 0:
            labels["ja"] = [f"実体{v}"]
        g.add_node(
            iri,
            iri=iri,
            slug=f"thing/n{v:06d}",
            kind="thing",
            label=f"Entity {v}",
            labels=labels,
            alt_labels={},
            cls=cls,
            cls_label=cls_label,
            comment="synthetic test node",
            dates={"startDate": [f"{2007 + v % 18}-06-01"]},
            facts=[["ordinal", str(v)]],
            sources=sorted({f"{ID}source/s{rng.randrange(200)}" for _ in range(2)}),
            claims=[],
        )
    for u, v in sorted(base.edges()):
        g.add_edge(
            f"{ID}thing/n{u:06d}", f"{ID}thing/n{v:06d}", key="relatedTo", label="related to", prop=IP5 + "relatedTo"
        )
    return g


def time_ours(g: nx.MultiDiGraph, path: Path) -> float:
    t = time.perf_counter()
    views.write_html(g, path, title="benchmark")
    return time.perf_counter() - t


def time_pyvis(g: nx.MultiDiGraph, path: Path) -> float:
    from pyvis.network import Network

    simple = nx.Graph()
    for v, a in g.nodes(data=True):
        simple.add_node(v, label=a["label"], title=a["cls_label"])
    simple.add_edges_from((u, v, {"title": a["label"]}) for u, v, a in g.edges(data=True))
    t = time.perf_counter()
    net = Network(cdn_resources="in_line", directed=True)
    net.from_nx(simple)
    net.write_html(str(path), open_browser=False, notebook=False)
    return time.perf_counter() - t


def drawn_ms(browser, path: Path) -> float:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
    page = ctx.new_page()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function("window.ip5DrawnAt !== undefined", timeout=120000)
    ms = float(page.evaluate("window.ip5DrawnAt"))
    ctx.close()
    return ms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ip5-bench-views-") as tmp:
        browser = pw = None
        if not args.no_browser and Path(CHROMIUM).exists():
            from playwright.sync_api import sync_playwright

            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for n in sizes:
                g = synthetic(n)
                ours_path, pyvis_path = Path(tmp) / f"ours-{n}.html", Path(tmp) / f"pyvis-{n}.html"
                time_ours(g, ours_path)  # warm-up (imports, template)
                ours = statistics.median(time_ours(g, ours_path) for _ in range(args.repeat))
                reps = 1 if n >= 5000 else args.repeat  # pyvis at 10k: ~9 s a run
                theirs = statistics.median(time_pyvis(g, pyvis_path) for _ in range(reps))
                drawn = statistics.median(drawn_ms(browser, ours_path) for _ in range(args.repeat)) if browser else None
                rows.append((n, g.number_of_edges(), ours, theirs, ours_path.stat().st_size, drawn))
                print(f"  measured {n} nodes", file=sys.stderr)
        finally:
            if browser:
                browser.close()
                pw.stop()
    print(
        "| nodes | edges | ours: build+write s | pyvis from_nx+write_html s | pyvis / ours | our HTML MB "
        "| ours drawn in Chromium ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for n, m, ours, theirs, size, drawn in rows:
        shown = f"{drawn:.0f}" if drawn is not None else "not run"
        print(f"| {n:,} | {m:,} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.1f}x | {size / 1e6:.2f} | {shown} |")
    big = [r for r in rows if r[0] == 10000]
    if big:
        _, _, ours, _, _, drawn = big[0]
        print(
            f"targets at 10k: built {ours:.2f} s (< 1 s: {'met' if ours < 1 else 'MISSED'})"
            + (f", drawn {drawn / 1000:.2f} s (< 3 s: {'met' if drawn < 3000 else 'MISSED'})" if drawn else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
