"""What `ip5graph build` costs: the whole site of the real graph, and the cost per page as the graph
grows (synthetic graphs of about 1e4 and 1e5 triples, benchmarks/synthetic.py, seeded).

Per page = (build time - the fixed part: loading, downloads, queries) / pages, measured with
process CPU time (the machine is shared; wall time is printed too). "Flat" means the 1e5 figure
stays within a small factor of the 1e4 one: every page costs dict lookups and a layout of its own
neighbourhood (capped), never a pass over the whole graph. Prints ratios against the 1e4 run of
the same process.

    python benchmarks/site.py [--sizes 10000,100000] [--no-real]
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
from ip5graph.web import build  # noqa: E402


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
        report = build.build_site(kg, out)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--no-real", action="store_true")
    args = ap.parse_args(argv)
    import synthetic

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_real:
            rows.append(("real graph", measure(ip5graph.open(), Path(tmp) / "real")))
        for size in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"syn{size}"
            synthetic.write(synthetic.generate(size), str(data))
            kg = ip5graph.open(data=[data])
            rows.append((f"synthetic {size:,}", measure(kg, Path(tmp) / f"site{size}")))
    base = next((m for name, m in rows if name.startswith("synthetic")), rows[0][1])
    print(f"{'graph':<20} {'pages':>7} {'build cpu s':>12} {'wall s':>8} {'ms/entity page':>15} {'ratio':>6}")
    for name, m in rows:
        ratio = m["per_page_ms"] / base["per_page_ms"] if base["per_page_ms"] else 0.0
        print(
            f"{name:<20} {m['pages']:>7,} {m['cpu']:>12.2f} {m['wall']:>8.2f} {m['per_page_ms']:>15.2f} {ratio:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
