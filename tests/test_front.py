"""The HTTP front of `ip5graph serve`: checked queries only, bounds, timeouts and idle clients."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from fuzzcorpus import remote_queries, server_requests
from sentinel import LEAK, FileSentinel, HttpSentinel, sentinels_fixture  # noqa: F401 (the `sentinels` fixture)

from ip5graph.serve import front, process

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "oxigraph"], capture_output=True).returncode != 0,
    reason="the oxigraph server is not installed",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An oxigraph serve-read-only over a small store with a chain long enough for slow queries."""
    folder = tmp_path_factory.mktemp("store")
    store = ox.Store(str(folder / "db"))
    p = ox.NamedNode("http://e/p")
    store.extend([ox.Quad(ox.NamedNode(f"http://e/{i}"), p, ox.Literal(str(i))) for i in range(400)])
    store.flush()
    del store
    port = _free_port()
    proc = subprocess.Popen(
        ["oxigraph", "serve-read-only", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process.accepts("127.0.0.1", port, within=10)
    yield port
    proc.terminate()
    proc.wait(10)


@pytest.fixture()
def served(upstream: int):  # type: ignore[no-untyped-def]
    f = front.Front(
        "127.0.0.1", 0, ("127.0.0.1", upstream), front.Limits(timeout=2.0, idle_timeout=1.0, max_result_bytes=200_000)
    )
    f.start()
    yield f, f"http://127.0.0.1:{f.port}"
    f.stop()


def _ask(
    url: str,
    method: str = "GET",
    path: str = "/query",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url + path, data=body, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_a_plain_query_is_answered(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    status, body = _ask(
        url,
        path="/query?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"),
        headers={"Accept": "text/csv"},
    )
    assert status == 200 and body.split() == [b"n", b"400"]


def _hostile_sample(base: str, uri: str, step: int) -> list[str]:
    return [str(c.payload) for c in remote_queries(base, uri) if c.expect == "refused"][::step]


@pytest.mark.parametrize("step", [1], ids=["all"])
@pytest.mark.long
def test_every_remote_variant_is_refused_and_nothing_is_fetched(served, sentinels, step: int) -> None:  # type: ignore[no-untyped-def]
    _check_variants(served, sentinels, step)


def test_a_sample_of_remote_variants_is_refused(served, sentinels) -> None:  # type: ignore[no-untyped-def]
    _check_variants(served, sentinels, 17)


def _check_variants(served, sentinels, step: int) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    http, files = sentinels
    before = len(http.requests), files.opens()
    for text in _hostile_sample(http.base, files.uri, step):
        for how in ("get", "post", "form"):
            if how == "get":
                status, body = _ask(url, path="/query?query=" + urllib.parse.quote(text))
            elif how == "post":
                status, body = _ask(
                    url, "POST", headers={"Content-Type": "application/sparql-query"}, body=text.encode()
                )
            else:
                status, body = _ask(
                    url,
                    "POST",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    body=("query=" + urllib.parse.quote(text)).encode(),
                )
            assert 400 <= status < 500, (text, status, body)
            assert LEAK.encode() not in body
    assert (len(http.requests), files.opens()) == before


def test_server_request_corpus_gets_the_documented_status(served, sentinels) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    http, _ = sentinels
    before = len(http.requests)
    for case in server_requests(http.base):
        method, path, headers, body = case.payload  # type: ignore[misc]
        status, _ = _ask(url, method, path, headers, body or None)
        want = 200 if case.expect == "2xx" else 400
        assert want <= status < want + 100, (case, status)
    assert len(http.requests) == before


def test_a_deeply_nested_query_is_refused_and_the_server_stays_up(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    nested = "SELECT * WHERE " + "{" * 20000 + "}" * 20000
    status, body = _ask(url, "POST", headers={"Content-Type": "application/sparql-query"}, body=nested.encode())
    assert status == 400 and b"nested too deeply" in body and body.count(b"\n") == 1
    assert _ask(url, path="/query?query=" + urllib.parse.quote("ASK {}"))[0] == 200


def test_a_slow_query_times_out_with_a_503_not_a_truncated_200(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
    started = time.monotonic()
    status, body = _ask(url, path="/query?query=" + urllib.parse.quote(slow))
    assert status == 503 and b"timed out after 2 s" in body
    assert time.monotonic() - started < 6
    assert _ask(url, path="/query?query=" + urllib.parse.quote("ASK {}"))[0] == 200


def test_an_answer_over_the_size_limit_is_refused(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    big = "SELECT * { ?a ?p ?b . ?c ?q ?d } LIMIT 100000"
    status, body = _ask(url, path="/query?query=" + urllib.parse.quote(big))
    assert status == 507 and b"larger than 200000 bytes" in body


def test_idle_connections_do_not_block_others(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    port = int(url.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
    for s in idle[:150]:
        s.sendall(b"GET /query?query=ASK")  # half a request, never finished
    try:
        started = time.monotonic()
        assert _ask(url, path="/query?query=" + urllib.parse.quote("ASK {}"))[0] == 200
        assert time.monotonic() - started < 5
    finally:
        for s in idle:
            s.close()


def test_writes_are_refused(served) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    assert (
        _ask(
            url,
            "POST",
            "/update",
            {"Content-Type": "application/sparql-update"},
            b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        )[0]
        == 403
    )
    assert _ask(url, "PUT", "/store?default", {"Content-Type": "text/turtle"}, b"<urn:a> <urn:b> <urn:c> .")[0] in (
        403,
        405,
    )


def test_ip5graph_serve_puts_the_front_before_oxigraph(upstream, sentinels, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    """Through `process.Server` (what `ip5graph serve` runs): hostile queries refused, nothing fetched,
    a nested query refused and the server still up."""
    from qhelpers import FIXTURES

    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    http, files = sentinels
    location = process.store_location(Inputs.default([FIXTURES]))
    server = process.Server(location, "127.0.0.1", _free_port(), timeout_s=5)
    with server:
        before = len(http.requests), files.opens()
        for text in _hostile_sample(http.base, files.uri, 23):
            status, body = _ask(
                server.url, "POST", headers={"Content-Type": "application/sparql-query"}, body=text.encode()
            )
            assert 400 <= status < 500 and LEAK.encode() not in body, (text, status)
        nested = "SELECT * WHERE " + "{" * 20000 + "}" * 20000
        assert (
            _ask(server.url, "POST", headers={"Content-Type": "application/sparql-query"}, body=nested.encode())[0]
            == 400
        )
        assert _ask(server.url, path="/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200
        assert server.process is not None and server.process.poll() is None
        assert (len(http.requests), files.opens()) == before


class _Scripted:
    """A stand-in for Oxigraph: `forever` queries never end, `innocent` ones wait for `hold`, others answer at once."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.release = threading.Event()
        self.hold = threading.Event()
        self.seen: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                text = self.rfile.read(int(self.headers["Content-Length"])).decode()
                outer.seen.append(text)
                if "forever" in text:
                    outer.release.wait(30)
                elif "innocent" in text:
                    outer.hold.wait(30)
                body = b"answered\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = ("127.0.0.1", self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def scripted(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A front (timeout 3 s, grace 0.2 s) before a scripted upstream; runaways start a second one."""
    import threading

    monkeypatch.setattr(front, "RUNAWAY_GRACE", 0.2)
    first, second = _Scripted(), _Scripted()
    events: list[str] = []
    retired = threading.Event()

    def on_runaway(pool: object) -> None:
        events.append("runaway")
        f.replace_upstream(second.address, lambda: (events.append("retired"), retired.set()))

    f = front.Front("127.0.0.1", 0, first.address, front.Limits(timeout=3, idle_timeout=5), on_runaway=on_runaway)
    f.start()
    yield f, f"http://127.0.0.1:{f.port}", first, second, events, retired
    f.stop()
    first.close()
    second.close()


def _query(url: str, text: str) -> tuple[int, bytes]:
    return _ask(url, "POST", headers={"Content-Type": "application/sparql-query"}, body=text.encode())


def test_a_runaway_query_moves_new_queries_to_a_fresh_child_and_the_old_one_drains(scripted) -> None:  # type: ignore[no-untyped-def]
    import threading

    f, url, first, second, events, retired = scripted
    innocent: list[tuple[int, bytes]] = []
    # an innocent query that is running on the old child when the runaway is found
    worker = threading.Timer(1.5, lambda: innocent.append(_query(url, "ASK { <urn:innocent> ?p ?o }")))
    worker.start()
    status, body = _query(url, "ASK { <urn:forever> ?p ?o }")
    assert status == 503 and b"timed out after 3 s" in body
    for _ in range(100):  # the grace passes, the owner is told once
        if "runaway" in events:
            break
        time.sleep(0.02)
    assert events == ["runaway"] and not innocent
    assert _query(url, "ASK { <urn:new> ?p ?o }") == (200, b"answered\n")
    assert any("urn:new" in t for t in second.seen) and not any("urn:new" in t for t in first.seen)
    assert not retired.is_set()  # the old child still has the innocent query
    first.hold.set()
    worker.join(10)
    assert innocent == [(200, b"answered\n")]  # answered by the old child, not cut off
    assert retired.wait(5)  # and the old child is ended only after that
    assert events == ["runaway", "retired"]


def test_a_query_whose_client_left_is_a_runaway_too(scripted) -> None:  # type: ignore[no-untyped-def]
    f, url, first, second, events, retired = scripted
    s = socket.create_connection(("127.0.0.1", f.port))
    text = b"ASK { <urn:forever> ?p ?o }"
    s.sendall(
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n%s"
        % (len(text), text)
    )
    time.sleep(0.1)
    s.close()
    assert retired.wait(5) and events == ["runaway", "retired"]


def test_an_abandoned_query_that_ends_within_the_grace_is_not_a_runaway(scripted) -> None:  # type: ignore[no-untyped-def]
    f, url, first, second, events, retired = scripted
    s = socket.create_connection(("127.0.0.1", f.port))
    text = b"ASK { <urn:quick> ?p ?o }"
    s.sendall(
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n%s"
        % (len(text), text)
    )
    s.close()
    time.sleep(1.0)
    assert events == [] and _query(url, "ASK { <urn:again> ?p ?o }") == (200, b"answered\n")
    assert any("urn:again" in t for t in first.seen)


def test_keep_alive_clients_get_several_answers_on_one_connection(served) -> None:  # type: ignore[no-untyped-def]
    import http.client

    f, _ = served
    conn = http.client.HTTPConnection("127.0.0.1", f.port, timeout=10)
    for n in range(3):
        conn.request(
            "GET", "/query?query=" + urllib.parse.quote(f"SELECT ({n} AS ?n) {{}}"), headers={"Accept": "text/csv"}
        )
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read().split() == [b"n", str(n).encode()]
    conn.close()


def test_ip5graph_serve_replaces_an_oxigraph_busy_with_an_abandoned_query(upstream) -> None:  # type: ignore[no-untyped-def]
    """A query that only computes (no row before the end) cannot be stopped inside Oxigraph: after its
    503 and the grace, a fresh child answers, and the busy one is ended, not left computing."""
    from qhelpers import FIXTURES

    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    location = process.store_location(Inputs.default([FIXTURES]))
    server = process.Server(location, "127.0.0.1", _free_port(), timeout_s=1)
    with server:
        assert server.process is not None
        old = server.process
        slow = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"
        status, body = _ask(server.url, path="/query?query=" + urllib.parse.quote(slow))
        assert status == 503 and b"timed out after 1 s" in body
        for _ in range(200):
            if old.poll() is not None:
                break
            time.sleep(0.05)
        assert old.poll() is not None, "the child busy with the abandoned query is still running"
        assert server.replaced == 1 and server.process is not old and server.process.poll() is None
        assert _ask(server.url, path="/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200


def test_a_client_that_expects_100_continue_gets_it_before_sending_its_query(served) -> None:  # type: ignore[no-untyped-def]
    f, _ = served
    text = b"SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with socket.create_connection(("127.0.0.1", f.port), timeout=5) as s:
        s.sendall(
            b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nAccept: text/csv\r\n"
            b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(text)
        )
        s.settimeout(0.5)  # curl would wait a whole second before sending the body anyway
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        s.settimeout(5)
        s.sendall(text)
        answer = b""
        while not answer.endswith(b"400\r\n"):
            chunk = s.recv(4096)
            assert chunk, answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")


def _in_flight(port: int, text: bytes) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(
        b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n%s"
        % (len(text), text)
    )
    return s


def _read_all(s: socket.socket) -> bytes:
    answer = b""
    while chunk := s.recv(4096):
        answer += chunk
    return answer


def test_stop_with_queries_in_flight_answers_503_and_leaves_no_task_or_thread(scripted, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Stopping must not print "Task was destroyed but it is pending" or "Event loop is closed"
    (both came from worker tasks left pending when the loop closed)."""
    import gc
    import sys
    import threading

    f, url, first, second, events, retired = scripted
    troubles: list[object] = []
    f.loop.set_exception_handler(lambda loop, context: troubles.append(context.get("message")))
    monkeypatch.setattr(sys, "unraisablehook", lambda u: troubles.append(u.exc_value))
    clients = [_in_flight(f.port, b"ASK { <urn:forever> ?p ?o }") for _ in range(3)]
    for _ in range(100):
        if len(first.seen) == 3:
            break
        time.sleep(0.02)
    f.stop()
    for s in clients:
        answer = _read_all(s)
        s.close()
        assert answer.startswith(b"HTTP/1.1 503 ") and answer.endswith(b"the server is stopping\n"), answer
    gc.collect()
    assert troubles == []
    assert not any(t.name == "ip5graph-front" for t in threading.enumerate())


def _serve_cli(port: int, *args: str, nofile: tuple[int, int] | None = None) -> subprocess.Popen[str]:
    """`python -m ip5graph serve` over the fixtures, as a user runs it; returns once it listens."""
    import os
    import resource
    import sys

    from qhelpers import FIXTURES, ROOT

    def lower_nofile() -> None:
        if nofile is not None:
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile[0], min(nofile[1], hard)))

    proc = subprocess.Popen(
        [sys.executable, "-m", "ip5graph", "serve", "--data", str(FIXTURES), "--port", str(port), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lower_nofile,
    )
    assert proc.stdout is not None and "serving" in proc.stdout.readline()
    return proc


def _stop_cli(proc: subprocess.Popen[str]) -> str:
    import signal

    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return err


@pytest.mark.parametrize("hard", [1 << 20, 1024], ids=["soft-1024", "hard-1024"])
def test_more_clients_than_the_open_file_limit_get_503_without_a_traceback(hard: int) -> None:
    """Under the common soft limit of 1024 open files, 1,100 clients made accept() fail: a
    traceback per attempt on stderr, and new clients waited instead of getting 503. Under a hard
    limit of 1024 the front takes fewer clients; an accept that still fails is one line."""
    import resource
    import signal

    mine, my_hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if mine < 1300:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(1300, my_hard), my_hard))
    port = _free_port()
    proc = _serve_cli(port, nofile=(1024, hard))
    clients: list[socket.socket] = []
    try:
        if hard <= 1024:  # all at once: one accept() batch runs out of files (SIGSTOP holds them in the backlog)
            proc.send_signal(signal.SIGSTOP)
            clients = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(1020)]
            proc.send_signal(signal.SIGCONT)
        clients += [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(1100 - len(clients))]
        assert _read_all(clients[-1]).startswith(b"HTTP/1.1 503 ")
        assert _ask(f"http://127.0.0.1:{port}", path="/query?query=ASK%7B%7D")[0] == 503
        for s in clients:
            s.close()
        clients = []
        for _ in range(50):  # the front sees the clients leave
            if _ask(f"http://127.0.0.1:{port}", path="/query?query=ASK%7B%7D")[0] == 200:
                break
            time.sleep(0.1)
        assert _ask(f"http://127.0.0.1:{port}", path="/query?query=ASK%7B%7D")[0] == 200
    finally:
        for s in clients:
            s.close()
        err = _stop_cli(proc)
    lines = err.splitlines()
    assert lines[-1] == "ip5graph: server stopped", err
    assert all(
        line == "ip5graph: serve: socket.accept() out of system resource: [Errno 24] Too many open files"
        for line in lines[:-1]
    ), err
    if hard > 1024:
        assert len(lines) == 1, err


def _raw(port: int, data: bytes) -> bytes:
    """Send raw bytes, read until the server closes (the test fails on a 5 s wait instead)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(data)
        except OSError:  # the server may close before it has read everything
            pass
        return _read_all(s)


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"X-Long: " + b"a" * (70 << 10) + b"\r\n", b"431"),
        (b"".join(b"X-%d: v\r\n" % i for i in range(101)), b"431"),
        (b"Content-Type: application/sparql-query\r\nContent-Length: 99999999\r\n", b"413"),
        (b"X-Nul: a\x00b\r\n", b"400"),
    ],
    ids=["one-long-field", "many-fields", "content-length-over-the-limit", "nul-in-a-field"],
)
def test_a_request_head_over_the_bounds_is_refused_and_the_connection_closed(served, head, status) -> None:  # type: ignore[no-untyped-def]
    """The request line and header fields are bounded before any body (a client streaming header
    fields grew the front's memory by about 2.7 MB per connection); a Refused raised while parsing
    kept its status (it came back as 400 'not a valid HTTP request'); after a request that cannot
    be read the connection closes at once (it stayed open until the idle timeout)."""
    f, _ = served
    answer = _raw(f.port, b"POST /query HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 " + status + b" "), answer[:200]
    assert b"\r\nConnection: close\r\n" in answer and answer.count(b"\n") == 6  # status, 3 fields, blank, one line


def test_a_head_that_never_ends_is_refused_once_past_the_bound(served) -> None:  # type: ignore[no-untyped-def]
    """A client streaming one header field forever: refused at the bound, not at the idle timeout."""
    f, _ = served
    with socket.create_connection(("127.0.0.1", f.port), timeout=5) as s:
        s.sendall(b"GET /query HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        for _ in range(80):
            try:
                s.sendall(b"a" * 1024)
            except OSError:
                break
        answer = _read_all(s)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]


def _get(text: str, accept: bytes = b"text/csv") -> bytes:
    target = "/query?query=" + urllib.parse.quote(text)
    return b"GET %s HTTP/1.1\r\nHost: x\r\nAccept: %s\r\n\r\n" % (target.encode(), accept)


def test_pipelined_requests_are_answered_in_order_and_a_broken_one_after_them(served) -> None:  # type: ignore[no-untyped-def]
    """Several requests in one packet get their answers in order; a request that cannot be read
    is answered after the ones before it (its 400 came first and their answers never)."""
    f, _ = served
    packet = b"".join(_get(f"SELECT ({n} AS ?n) {{}}") for n in range(3)) + b"NOT HTTP\r\n\r\n"
    answer = _raw(f.port, packet)
    parts = answer.split(b"HTTP/1.1 ")[1:]
    assert [p.split(b" ", 1)[0] for p in parts] == [b"200", b"200", b"200", b"400"], answer
    assert [p.split(b"\r\n\r\n", 1)[1].split() for p in parts[:3]] == [[b"n", b"0"], [b"n", b"1"], [b"n", b"2"]]
    assert parts[3].endswith(b"Connection: close\r\n\r\nnot a valid HTTP request\n")


def _read_answers(s: socket.socket, count: int) -> list[int]:
    """The statuses of `count` answers with a Content-Length each, read whole."""
    got, statuses = b"", []
    while len(statuses) < count:
        head, sep, rest = got.partition(b"\r\n\r\n")
        if sep:
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            if len(rest) >= length:
                statuses.append(int(head.split()[1]))
                got = rest[length:]
                continue
        chunk = s.recv(1 << 16)
        assert chunk, statuses
        got += chunk
    return statuses


def _waiting_bytes(f: front.Front) -> tuple[int, int]:
    """(answer bytes the front holds for its clients, requests read ahead of their answers), read in its loop."""
    import asyncio

    async def look() -> tuple[int, int]:
        held = sum(c.transport.get_write_buffer_size() for c in f.clients if c.transport is not None)
        return held, sum(len(c.queue) for c in f.clients)

    return asyncio.run_coroutine_threadsafe(look(), f.loop).result(5)


def test_a_client_that_pipelines_without_reading_does_not_pile_up_answers(upstream) -> None:  # type: ignore[no-untyped-def]
    """200 pipelined requests for a ~50 KB answer from a client that reads nothing: every answer
    was written into the front's memory (6.9 MB for this one connection, without bound); now the
    front waits for the client to read before it answers the next one, and the client gets them all."""
    f = front.Front("127.0.0.1", 0, ("127.0.0.1", upstream), front.Limits(timeout=5, idle_timeout=5))
    f.start()
    try:
        one = _get("SELECT * { ?s ?p ?o }", b"application/sparql-results+json")
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", f.port))
            s.sendall(one * 200)
            time.sleep(1.5)
            held, ahead = _waiting_bytes(f)
            assert held < 1 << 20, (held, ahead)  # was 6.9 MB
            s.settimeout(10)
            assert _read_answers(s, 200) == [200] * 200
            s.sendall(one)  # reading resumes once the answers are taken
            assert _read_answers(s, 1) == [200]
    finally:
        f.stop()


def test_a_client_that_reads_nothing_is_dropped_after_the_idle_timeout(served) -> None:  # type: ignore[no-untyped-def]
    f, _ = served  # idle timeout 1 s
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", f.port))
        s.sendall(_get("SELECT * { ?s ?p ?o }", b"application/sparql-results+json") * 200)
        for _ in range(100):
            if not f.clients:
                break
            time.sleep(0.05)
        assert not f.clients


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"CONNECT evil.example:80 HTTP/1.1\r\nHost: evil.example:80\r\n\r\n", b"403"),
        (_get("ASK {}").replace(b"\r\n\r\n", b"\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"), b"200"),
    ],
    ids=["connect", "upgrade"],
)
def test_connect_and_upgrade_get_one_answer_and_the_connection_ends(served, request_bytes, status) -> None:  # type: ignore[no-untyped-def]
    """The upgrade is ignored: one ordinary answer, then close (not a second, stray 400 for
    whatever follows, and no tunnel)."""
    f, _ = served
    answer = _raw(f.port, request_bytes + b"\x16\x03\x01 tunnelled bytes")
    assert answer.startswith(b"HTTP/1.1 " + status + b" ") and answer.count(b"HTTP/1.1 ") == 1, answer
    assert b"\r\nConnection: close\r\n" in answer


def test_when_the_oxigraph_child_is_killed_clients_get_502_and_serve_exits_with_one_line() -> None:
    import os
    import signal
    import threading

    port = _free_port()
    proc = _serve_cli(port, "--timeout", "20")
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) == 1
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"
    got: list[tuple[int, bytes]] = []
    asking = threading.Thread(
        target=lambda: got.append(_ask(f"http://127.0.0.1:{port}", path="/query?query=" + urllib.parse.quote(slow)))
    )
    asking.start()
    time.sleep(0.5)
    os.kill(int(children[0]), signal.SIGKILL)
    asking.join(30)
    _, err = proc.communicate(timeout=30)
    assert got and got[0][0] == 502 and got[0][1].count(b"\n") == 1, got
    assert proc.returncode == 1
    assert err.splitlines() == ["ip5graph: error: the Oxigraph server stopped unexpectedly: killed by signal 9"], err


def _children_over(location: object) -> list[int]:
    """Oxigraph processes started by this test process over the store at location."""
    import os
    from pathlib import Path

    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and str(location).encode() in cmd:
            found.append(int(entry.name))
    return found


@pytest.mark.long
def test_real_runaways_in_a_row_keep_at_most_max_old_children_alive(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each runaway starts a fresh child; a replaced child lives on while it answers its other
    queries (up to the timeout). Three runaways in a row, each while a long honest query runs,
    left four children computing; past MAX_OLD_CHILDREN (1 here) the oldest is ended."""
    import threading

    from qhelpers import FIXTURES

    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    monkeypatch.setattr(process, "MAX_OLD_CHILDREN", 1)
    location = process.store_location(Inputs.default([FIXTURES]))
    server = process.Server(location, "127.0.0.1", _free_port(), timeout_s=20)
    endless = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j . ?k ?u ?l . ?m ?v ?n0 }"
    honest: list[threading.Thread] = []
    with server:
        port = int(server.url.rsplit(":", 1)[1])
        for n in range(3):
            honest.append(
                threading.Thread(
                    target=_ask, args=(server.url,), kwargs={"path": "/query?query=" + urllib.parse.quote(endless)}
                )
            )
            honest[-1].start()
            time.sleep(0.3)
            _in_flight(port, endless.encode()).close()  # abandoned: a runaway after the grace
            for _ in range(200):
                if server.replaced == n + 1:
                    break
                time.sleep(0.05)
            assert server.replaced == n + 1
        assert len(_children_over(location)) <= 2
        assert _ask(server.url, path="/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200
    for t in honest:
        t.join(30)
    assert _children_over(location) == []


@pytest.mark.long
def test_a_slow_reader_gets_its_whole_answer_past_the_idle_timeout(upstream) -> None:  # type: ignore[no-untyped-def]
    """The idle timeout drops a client that reads nothing, not one still reading a large answer
    (more than the kernel's socket buffers take, so the front still holds part of it)."""
    f = front.Front("127.0.0.1", 0, ("127.0.0.1", upstream), front.Limits(timeout=10, idle_timeout=0.5))
    f.start()
    try:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)
            s.connect(("127.0.0.1", f.port))
            s.sendall(_get("SELECT * { ?s ?p ?o . ?a ?q ?b } LIMIT 40000", b"application/sparql-results+json"))
            got = b""
            started = time.monotonic()
            while not got.endswith(b"]}}"):
                time.sleep(0.02)  # at most 3 MB/s: the ~10 MB answer outlasts several idle timeouts
                chunk = s.recv(64 << 10)
                assert chunk, len(got)
                got += chunk
            assert time.monotonic() - started > 1.0  # several idle timeouts long
        head, _, body = got.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ") and b"Content-Length: %d\r\n" % len(body) in head + b"\r\n"
    finally:
        f.stop()


_HOSTILE = [  # each ends the connection (Connection: close, or refused)
    b"\x00\x01\x02garbage\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}",
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
    + (b"10000\r\n" + b"#" * 0x10000 + b"\r\n") * 20,
    b"GET /query?query=ASK%7B%7D HTTP/1.0\r\n\r\n",
    b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\nGET /query?query=ASK%7B%7D HTTP/1.0\r\n\r\n",
    b"GET http://evil.example/query?query=ASK%7B%7D HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    b"GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n\x16\x03\x01",
    b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x85",
    "GET /query?query=ASK{}&é=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * (100 << 10) + b"\r\n\r\n",
    b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /yasgui.min.css HTTP/1.1\r\nHost: x\r\n\r\n"
    b"GET /logo.svg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /\r\n\r\n",
]


@pytest.mark.long
def test_ip5graph_serve_prints_no_traceback_under_hostile_clients() -> None:
    """`python -m ip5graph serve` as a user runs it, under malformed and hostile HTTP, pipelining
    after a timeout, abandoned queries, a client that reads nothing, and a stop with queries in
    flight: its stderr has only its own one-line messages, and no Oxigraph child is left."""
    import threading

    port = _free_port()
    proc = _serve_cli(port, "--timeout", "2")
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j . ?k ?u ?l }"
    try:
        for data in _HOSTILE:
            assert _raw(port, data).startswith(b"HTTP/1.1 "), data[:60]
        answer = _raw(port, _get(slow) + _get("ASK {}"))  # the 503 closes: the pipelined one is not answered
        assert answer.startswith(b"HTTP/1.1 503 ") and answer.count(b"HTTP/1.1 ") == 1
        for _ in range(3):
            _in_flight(port, slow.encode()).close()
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", port))
            s.sendall(_get("SELECT * { ?s ?p ?o }", b"application/sparql-results+json") * 50)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        flying = [
            threading.Thread(
                target=_ask,
                args=(f"http://127.0.0.1:{port}",),
                kwargs={"path": "/query?query=" + urllib.parse.quote(slow)},
            )
            for _ in range(4)
        ]
        for t in flying:
            t.start()
        time.sleep(0.5)
    finally:
        err = _stop_cli(proc)
    for t in flying:
        t.join(30)
    assert "Traceback" not in err and "exception" not in err.lower(), err
    allowed = (
        "ip5graph: server stopped",
        "ip5graph: an abandoned query was still running; a fresh Oxigraph server takes new queries",
        "ip5graph: too many replaced Oxigraph servers still answering; the oldest is ended",
    )
    assert set(err.splitlines()) <= set(allowed), err
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "oxigraph" not in Path(f"/proc/{pid}/cmdline").read_text()


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_a_body_over_the_limit_gets_its_413_not_a_connection_reset(served, framing: str) -> None:  # type: ignore[no-untyped-def]
    """The front answered 413 and closed while the body was still coming: the kernel then reset
    the connection and the client saw ECONNRESET instead of the 413."""
    f, _ = served
    body = b"#" * (2 << 20)
    if framing == "chunked":
        head, data = (
            b"Transfer-Encoding: chunked\r\n",
            b"".join(b"10000\r\n" + body[i : i + 0x10000] + b"\r\n" for i in range(0, len(body), 0x10000)),
        )
    else:
        head, data = b"Content-Length: %d\r\n" % len(body), body
    answer = _raw(
        f.port, b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + head + b"\r\n" + data
    )
    assert answer.startswith(b"HTTP/1.1 413 ") and answer.endswith(b"characters)\n"), answer[:200]


def test_replaced_children_still_answering_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """However many runaways come, at most MAX_OLD_CHILDREN replaced Oxigraph processes live on."""
    from qhelpers import FIXTURES

    from ip5graph.kg.inputs import Inputs
    from ip5graph.serve import process

    location = process.store_location(Inputs.default([FIXTURES]))
    server = process.Server(location, "127.0.0.1", _free_port(), timeout_s=5)
    # as if every old child still had a query to finish: the front never says they are idle
    monkeypatch.setattr(front.Front, "replace_upstream", lambda self, address, retire: None)
    with server:
        for n in range(process.MAX_OLD_CHILDREN + 3):
            server.replace_child()  # what the front does on a runaway
            for _ in range(200):
                if server.replaced == n + 1:
                    break
                time.sleep(0.05)
            live = [c for c in server.children if c.poll() is None]
            assert len(live) <= process.MAX_OLD_CHILDREN + 1, (n, len(live))
        assert server.replaced == process.MAX_OLD_CHILDREN + 3
    assert server.children == []


class _ResetTransport:
    """A transport whose peer has reset: shutdown() fails with ENOTCONN, as it did in a stop()."""

    def __init__(self) -> None:
        self.closed = self.aborted = False
        self.written = b""

    def write(self, data: bytes) -> None:
        self.written += data

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        raise OSError(107, "Transport endpoint is not connected")

    def abort(self) -> None:
        self.aborted = self.closed = True

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: object = None) -> object:
        return default


def test_ending_a_connection_whose_client_reset_raises_nothing() -> None:
    """Ending a connection half-closes it (write_eof); when the client had already reset, that
    raised OSError out of Front.stop() (and would out of a worker task: a traceback on stderr)."""
    from ip5graph.serve.connection import Connection

    f = front.Front("127.0.0.1", 0, ("127.0.0.1", _free_port()))
    try:
        conn = Connection(f)
        transport = _ResetTransport()
        conn.connection_made(transport)  # type: ignore[arg-type]
        conn.worker = f.loop.create_future()  # type: ignore[assignment]  # a request in flight
        conn.shut_down()  # what stop() does: answer 503 and end the connection
        assert transport.written.startswith(b"HTTP/1.1 503 ") and transport.aborted
    finally:
        f.stop()


def test_an_unexpected_error_answering_a_request_is_a_500_and_one_line(served, monkeypatch, capfd) -> None:  # type: ignore[no-untyped-def]
    """A bug while answering one request left its client waiting for ever and printed "Task
    exception was never retrieved" with a traceback; now a 500, one line, and the server goes on."""
    from ip5graph.serve import connection

    f, url = served

    def broken(text: str) -> bytes:
        raise RuntimeError("a bug")

    monkeypatch.setattr(connection, "checked", broken)
    assert _ask(url, path="/query?query=ASK%7B%7D") == (500, b"internal error of the ip5graph front\n")
    assert capfd.readouterr().err == "ip5graph: serve: error answering a request: a bug\n"
    monkeypatch.undo()
    assert _ask(url, path="/query?query=ASK%7B%7D")[0] == 200
