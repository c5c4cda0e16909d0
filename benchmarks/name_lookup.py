"""Cost of naming a query parameter by its label instead of its IRI, in fresh processes, one run.

`ip5graph query 04-office-heads --param office="Japan Patent Office"` (and 06-person-profile with
person="Kasutani Toshihide") beside the same query with the IRI (office:jpo, person:...): the name
is looked up in the local graph first (KnowledgeGraph.find_entity). Runs are interleaved so that
machine noise hits all commands alike; prints the median wall time of each and the ratio
name / IRI. --root runs another checkout's ip5graph (e.g. main, for a before/after in one run).
Before this lookup read the store (it projected the whole network): about x5.

    python benchmarks/name_lookup.py [--runs 15] [--root ../other-checkout]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from cold_query import time_process  # beside this script

ROOT = Path(__file__).resolve().parent.parent
# query, parameter, the value by name, the same entity by IRI (the queries' own `# example:` values)
CASES = [
    ("04-office-heads", "office", "Japan Patent Office", "office:jpo"),
    ("06-person-profile", "person", "Kasutani Toshihide", "person:kasutani-toshihide"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose ip5graph runs (default: this one)")
    args = ap.parse_args()
    root = args.root.resolve()  # `python -m` puts the working directory first on sys.path: run there
    base = [sys.executable, "-m", "ip5graph", "query"]
    commands: dict[str, list[str]] = {}
    for query, param, name, iri in CASES:
        for kind, value in (("iri ", iri), ("name", name)):
            commands[f"{kind} {query} {param}={value}"] = base + [
                query,
                "--param",
                f"{param}={value}",
                "--format",
                "csv",
            ]
    for cmd in commands.values():  # warm-up: page cache, the cached store built
        time_process(cmd, root)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(args.runs):
        for key, cmd in commands.items():
            times[key].append(time_process(cmd, root))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"cold processes, median of {args.runs} interleaved runs (ms); ip5graph from {root}")
    ratios = []
    for query, param, name, iri in CASES:
        by_iri = med[f"iri  {query} {param}={iri}"]
        by_name = med[f"name {query} {param}={name}"]
        ratios.append(by_name / by_iri)
        print(f"  {query:<20} {param}={iri:<28} {by_iri:7.1f}")
        print(f"  {query:<20} {param}={name:<28} {by_name:7.1f}   x{by_name / by_iri:.2f} vs the IRI")
    print(f"ratio name / IRI: median {statistics.median(ratios):.2f}, worst {max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
