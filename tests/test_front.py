"""The HTTP front of `ip5graph serve`: checked queries only, bounds, timeouts and idle clients."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from fuzzcorpus import remote_queries, server_requests
from sentinel import LEAK, FileSentinel, HttpSentinel, sentinels_fixture  # noqa: F401 (the `sentinels` fixture)

from ip5graph.serve import front

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
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
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
