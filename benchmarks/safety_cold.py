"""Cold cost of the query safety check: main's query.safety.check_safe against this tree's check.

    python benchmarks/safety_cold.py [--runs 15] [--old-ref main]

Each run is a fresh Python process that imports the checker and checks every named query once
(what a cold `ip5graph query` pays). The old checker is `git show REF:ip5graph/query/safety.py`,
loaded as a module beside this tree's ip5graph. Prints the median of each and the ratio new / old.
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
OLD = ("import old_safety", "old_safety.check_safe(text)")
NEW = ("from ip5graph.query import safety", "safety.check(text)")


def once(imp: str, call: str, extra: str) -> float:
    code = _CODE.format(imp=imp, call=call, queries=str(ROOT / "queries"))
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{ROOT}:{extra}"},
    )
    return float(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--old-ref", default="main")
    args = ap.parse_args()
    runs = max(3, args.runs)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        source = subprocess.run(
            ["git", "show", f"{args.old_ref}:ip5graph/query/safety.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (Path(tmp) / "old_safety.py").write_text(source, encoding="utf-8")
        old = statistics.median(once(*OLD, tmp) for _ in range(runs))
        new = statistics.median(once(*NEW, tmp) for _ in range(runs))
    print(f"old check_safe   {old:.2f} ms (import + every named query, cold, median of {runs})")
    print(f"new safety.check {new:.2f} ms")
    print(f"ratio new / old  {new / old:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
