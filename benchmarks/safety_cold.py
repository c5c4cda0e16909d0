"""Cold cost of the query safety check: the old sparql.check_safe against query.safety.check.

    python benchmarks/safety_cold.py [--runs 15]

Each run is a fresh Python process that imports the checker and checks every named query once
(what a cold `ip5graph query` pays). Prints the median of each and the ratio new / old.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CODE = """
import time, pathlib
t = time.perf_counter()
{imp}
texts = [p.read_text() for p in sorted(pathlib.Path({queries!r}).glob("*.rq"))]
for text in texts:
    {call}
print((time.perf_counter() - t) * 1000)
"""
OLD = ("from ip5graph import sparql", "sparql.check_safe(text)")
NEW = ("from ip5graph.query import safety", "safety.check(text)")


def once(imp: str, call: str) -> float:
    code = _CODE.format(imp=imp, call=call, queries=str(ROOT / "queries"))
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )
    return float(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    runs = max(3, ap.parse_args().runs)
    old = statistics.median(once(*OLD) for _ in range(runs))
    new = statistics.median(once(*NEW) for _ in range(runs))
    print(f"old check_safe   {old:.2f} ms (import + every named query, cold, median of {runs})")
    print(f"new safety.check {new:.2f} ms")
    print(f"ratio new / old  {new / old:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
