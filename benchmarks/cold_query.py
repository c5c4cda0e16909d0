"""Cold-start cost of `ip5graph query` against the `oxigraph query` CLI, measured in one run.

For three named queries, each run starts a fresh process: `ip5graph query NAME` (default table
output, which also looks up labels; and --format csv) beside `oxigraph query` of the same SPARQL
text on a copy of the prebuilt store (CSV). Runs are interleaved so that machine noise hits all
commands alike; the script prints the median wall time of each and the ratio to oxigraph.
Target: ip5graph at most 3x oxigraph.

    python benchmarks/cold_query.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["02-heads-meetings", "10-hosting-counts", "16-timeline"]
ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str] | None:
    """The real executable beside this Python (not a pyenv shim, which adds a shell start)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def time_process(cmd: list[str], cwd: Path = ROOT) -> float:
    """Wall seconds of one fresh process (output thrown away); stops the benchmark if it fails."""
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode()[:500]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    from ip5graph.kg.inputs import Inputs
    from ip5graph.kg.store import store_path
    from ip5graph.query import catalogue

    ip5 = _tool("ip5graph") or [sys.executable, "-m", "ip5graph"]
    oxi = _tool("oxigraph")
    if oxi is None:
        print("the `oxigraph` CLI is not installed (pip install '.[serve]')", file=sys.stderr)
        return 2
    inputs = Inputs.default()
    with tempfile.TemporaryDirectory() as tmp:
        # the first run builds the store if needed
        subprocess.run(ip5 + ["query", QUERIES[0]], stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
        link = store_path(inputs)
        copy = Path(tmp) / "store"
        shutil.copytree(link.parent / os.readlink(link), copy)  # oxigraph opens read-write: use a copy
        commands: dict[str, list[str]] = {"python -c pass": [sys.executable, "-c", "pass"]}
        for name in QUERIES:
            qfile = Path(tmp) / f"{name}.rq"
            qfile.write_text(catalogue.find(name).text, encoding="utf-8")
            commands[f"ip5graph table {name}"] = ip5 + ["query", name]
            commands[f"ip5graph csv   {name}"] = ip5 + ["query", name, "--format", "csv"]
            commands[f"oxigraph csv   {name}"] = oxi + [
                "query",
                "--location",
                str(copy),
                "--query-file",
                str(qfile),
                "--results-format",
                "csv",
            ]
        for cmd in commands.values():  # warm-up: page cache, store built
            time_process(cmd)
        times: dict[str, list[float]] = {k: [] for k in commands}
        for _ in range(args.runs):
            for key, cmd in commands.items():
                times[key].append(time_process(cmd))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"cold processes, median of {args.runs} interleaved runs (ms); ip5graph: {' '.join(ip5)}")
    print(f"  {'python -c pass':<40} {med['python -c pass']:7.1f}")
    ratios = []
    for name in QUERIES:
        base = med[f"oxigraph csv   {name}"]
        for kind in ("ip5graph table", "ip5graph csv  ", "oxigraph csv  "):
            key = f"{kind} {name}"
            ratio = med[key] / base
            if kind.startswith("ip5graph table"):
                ratios.append(ratio)
            print(f"  {key:<40} {med[key]:7.1f}   x{ratio:.2f} vs oxigraph")
    worst = max(ratios)
    print(
        f"ratio ip5graph (table) / oxigraph: median {statistics.median(ratios):.2f}, worst {worst:.2f} "
        f"(target <= 3): {'OK' if worst <= 3 else 'ABOVE TARGET'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
