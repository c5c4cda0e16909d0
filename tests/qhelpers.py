"""Helpers for the query-interface tests: paths, a subprocess runner, row normalisation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "data"


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m ip5graph ARGS` from the checkout, as a user would run it."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ip5graph", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )


def rows_as_text(result) -> list[tuple[str, ...]]:
    """Rows (or triples) as sorted tuples of N-Triples strings: comparable across engines."""
    if result.is_graph:
        return sorted((str(t.subject), str(t.predicate), str(t.object)) for t in result.triples)
    if result.form == "ASK":
        return [(str(result.boolean),)]
    return sorted(tuple("" if t is None else str(t) for t in row) for row in result.rows)
