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
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={"PYTHONPATH": str(root)}
    )
    assert proc.returncode == 1
    assert proc.stderr == "ip5graph: error: query timed out after 1 s\n"
    assert time.monotonic() - started < 20


def _server(handler_body):  # type: ignore[no-untyped-def]
    import http.server
    import threading

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handler_body(self)

        def log_message(self, *a: object) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def test_a_trickling_server_is_cut_off_at_the_total_deadline() -> None:
    import urllib.request

    def trickle(h) -> None:  # type: ignore[no-untyped-def]
        h.send_response(200)
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    srv = _server(trickle)
    started = time.monotonic()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{srv.server_address[1]}/", timeout=5) as resp:
        with pytest.raises(QueryError, match="did not arrive in time"):
            limits.read_bounded(resp, None, time.monotonic() + 1.0, "GET x")
    assert time.monotonic() - started < 4
    srv.shutdown()


def test_a_huge_answer_is_not_read_into_memory() -> None:
    import urllib.request

    def huge(h) -> None:  # type: ignore[no-untyped-def]
        h.send_response(200)
        h.send_header("Content-Length", str(3 << 30))
        h.end_headers()
        try:
            block = b"x" * (1 << 20)
            for _ in range(3 << 10):
                h.wfile.write(block)
        except OSError:
            pass

    srv = _server(huge)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{srv.server_address[1]}/", timeout=5) as resp:
        with pytest.raises(QueryError, match="larger than 1048576 bytes"):
            limits.read_bounded(resp, 1 << 20, None, "GET x")
    srv.shutdown()
