"""Query limits: values checked, rows counted while read, the CLI watchdog ends a stuck query."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import limits


@pytest.mark.parametrize("bad", ["-1", "abc", "nan", "inf", "-0.5"])
def test_bad_timeouts_are_refused(bad: str) -> None:
    with pytest.raises(UsageError, match="--timeout"):
        limits.seconds(bad)


def test_zero_means_no_limit() -> None:
    assert limits.seconds("0") is None and limits.count("0") is None
    assert limits.seconds("2.5") == 2.5 and limits.count("10") == 10
    with pytest.raises(UsageError):
        limits.count("-3")


def test_rows_stop_at_the_limit_without_reading_the_rest() -> None:
    read = []

    def rows():  # type: ignore[no-untyped-def]
        for i in range(10**9):
            read.append(i)
            yield i

    with pytest.raises(QueryError, match="more than 100 rows"):
        limits.Budget(None, 100).collect(rows())
    assert len(read) == 101


def test_the_deadline_is_checked_between_rows() -> None:
    def slow():  # type: ignore[no-untyped-def]
        while True:
            time.sleep(0.0001)
            yield 1

    started = time.monotonic()
    with pytest.raises(QueryError, match="timed out after 0.2 s"):
        limits.Budget(0.2, None).collect(slow())
    assert time.monotonic() - started < 5


def test_the_watchdog_ends_a_query_stuck_inside_the_engine(tmp_path: Path) -> None:
    code = (
        "import pyoxigraph as ox\n"
        "from ip5graph.query.limits import Watchdog\n"
        "s = ox.Store(); p = ox.NamedNode('http://e/p')\n"
        "s.extend([ox.Quad(ox.NamedNode(f'http://e/{i}'), p, ox.Literal(str(i))) for i in range(400)])\n"
        "with Watchdog(1.0, 'query timed out after 1 s'):\n"
        "    list(s.query('SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }'))\n"
    )
    root = Path(__file__).resolve().parent.parent
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(root)})
    assert proc.returncode == 1
    assert proc.stderr == "ip5graph: error: query timed out after 1 s\n"
    assert time.monotonic() - started < 20
