"""What a hard deadline costs: `kg.run` with `Budget(hard=True)` (a worker process per query) against
the same query in-process, on the bundled graph's cached store, measured in one run.

Runs are interleaved so that machine noise hits both alike; the script prints the median wall time
of each, the difference (the worker's start, its store opening and the answer's round trip) and
the ratio.

    python benchmarks/hard_query.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

QUERIES = ["01-offices", "02-heads-meetings", "16-timeline"]
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    import ip5graph
    from ip5graph.query import parameters
    from ip5graph.query.limits import Budget

    kg = ip5graph.open(store="cached")
    for name in QUERIES:
        prepared = parameters.resolve(name, {})
        times: dict[bool, list[float]] = {False: [], True: []}
        sizes = set()
        for _ in range(args.runs):
            for hard in (False, True):
                t = time.perf_counter()
                result = kg.run(prepared, Budget(timeout=60, hard=hard))
                times[hard].append(time.perf_counter() - t)
                sizes.add(len(result))
        inside, worker = statistics.median(times[False]), statistics.median(times[True])
        print(
            f"{name:<20} in-process {inside * 1000:7.1f} ms   hard {worker * 1000:7.1f} ms   "
            f"+{(worker - inside) * 1000:6.1f} ms   ratio {worker / inside:5.1f}x   rows {sorted(sizes)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
