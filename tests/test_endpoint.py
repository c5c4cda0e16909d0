"""Serving, pushing and remote queries against real Oxigraph servers on 127.0.0.1.

Every server here is started on a free loopback port and stopped in a fixture finalizer.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

import ip5graph
from ip5graph.errors import QueryError, UsageError
from ip5graph.kg.inputs import Inputs
from ip5graph.query import catalogue, parameters, safety
from ip5graph.query.engines import remote
from ip5graph.serve import client, process, push

ROOT = Path(__file__).resolve().parent.parent
QUERIES = catalogue.catalogue()
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ---------------------------------------------------------------- helpers and fixtures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture()
def oxigraph_server(tmp_path):
    """A read-write `oxigraph serve` on a fresh on-disk store; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [process.oxigraph_executable(), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def local(cache):
    """The embedded engine over the bundled graph."""
    return ip5graph.open(cache_dir=cache)


def fetch(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with NO_PROXY.open(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def graph_triples(base: str, graph: str) -> set[ox.Triple]:
    status, body = fetch(
        "GET", f"{base}/store?graph={urllib.parse.quote(graph, safe='')}", headers={"Accept": "application/n-triples"}
    )
    if status == 404:
        return set()
    assert status == 200, body
    return {q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)}


def file_triples(path: Path) -> set[ox.Triple]:
    """The file's triples as a store gives them back (Oxigraph writes numbers canonically: 95.0 -> 95)."""
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    return {q.triple for q in store}


def same_answer(a, b) -> bool:
    if a.form == "ASK":
        return a.boolean == b.boolean
    if a.is_graph:
        return set(a.triples) == set(b.triples)
    return a.variables == b.variables and Counter(a.rows) == Counter(b.rows)


# ---------------------------------------------------------------- parameter binding (no server)


def test_bind_text_puts_values_in_the_outer_where_group():
    text = "SELECT ?o ?l WHERE { ?o <http://x/p> ?l { SELECT ?z WHERE { ?z ?q ?r } } }"
    out = remote.bind_text(text, {"o": ox.NamedNode("http://x/a")})
    assert out.startswith("SELECT ?o ?l WHERE { VALUES (?o) { (<http://x/a>) } ")
    assert out.count("VALUES") == 1


def test_bind_text_skips_the_construct_template():
    text = "CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o }"
    out = remote.bind_text(text, {"m": ox.NamedNode("http://x/m")})
    assert out == "CONSTRUCT { ?m ?p ?o } WHERE { VALUES (?m) { (<http://x/m>) }  ?m ?p ?o }"


def test_bind_text_escapes_hostile_text():
    """A string parameter cannot end the literal and inject SPARQL: it stays one literal."""
    evil = 'x" } } ; DROP ALL ; SELECT * { ?s ?p "'
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal(evil)))
    text = "SELECT ?s ?v WHERE { ?s <http://x/p> ?v }"
    bound = remote.bind_text(text, {"v": ox.Literal(evil)})
    rows = list(store.query(bound))
    assert [r["s"] for r in rows] == [ox.NamedNode("http://x/s")]
    assert safety.check_safe(bound) == "SELECT"


def test_bind_text_without_where_keyword():
    out = remote.bind_text("ASK { ?s ?p ?o }", {"s": ox.NamedNode("http://x/s")})
    assert out == "ASK { VALUES (?s) { (<http://x/s>) }  ?s ?p ?o }"
    with pytest.raises(UsageError, match="WHERE"):
        remote.bind_text("DESCRIBE ?s", {"s": ox.NamedNode("http://x/s")})


def test_bind_text_without_where_keyword_but_a_subquery_with_one():
    """Only a top-level WHERE counts: the subquery's WHERE does not hide the outer group."""
    text = "SELECT ?s ?y { ?s ?p ?o { SELECT ?y WHERE { ?y ?q ?r } } }"
    out = remote.bind_text(text, {"s": ox.NamedNode("http://x/s")})
    assert out.startswith("SELECT ?s ?y { VALUES (?s) { (<http://x/s>) }  ?s ?p ?o {")
    assert out.count("VALUES") == 1


def test_bind_text_drops_from_the_loaded_graph_only():
    text = f"SELECT ?s FROM <{safety.LOADED_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert remote.bind_text(text, {}) == "SELECT ?s  WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_bound_text_gives_the_substituted_answer(local, query):
    """Binding by VALUES (for servers) answers as pyoxigraph's substitution does, on every query."""
    prepared = parameters.prepare_named(query, query.example_bindings())
    expected = local.run(prepared)
    bound = parameters.Prepared(remote.bind_text(prepared.text, prepared.bindings), {}, prepared.source, prepared.form)
    got = local.run(bound)
    assert same_answer(expected, got)
    assert len(got) > 0


def test_remote_needs_a_url_and_checks_options():
    with pytest.raises(UsageError, match="--endpoint"):
        client.remote()
    with pytest.raises(UsageError, match="http"):
        client.remote("ftp://127.0.0.1/x")
    with pytest.raises(UsageError, match="--password"):
        client.remote("http://127.0.0.1:1", user="u")
    r = client.remote("http://127.0.0.1:7878/")
    assert (r.query_url, r.store_url) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store")
    r = client.remote(query_url="http://127.0.0.1:3030/ds/sparql", store_url="http://127.0.0.1:3030/ds/data")
    assert r.store_url.endswith("/ds/data")
    assert "secret" not in repr(client.remote("http://127.0.0.1:1", user="u", password="secret"))


def test_plan_push_one_graph_per_file_with_exact_counts():
    files = list(Inputs.default().files)
    plan = push.plan_push(files)
    assert [u.iri for u in plan] == [push.GRAPH_BASE + f.stem for f in files]
    for upload, path in zip(plan, files):
        assert upload.triples == len(file_triples(path)) > 0
        sent = ox.Store()
        sent.load(upload.body, format=ox.RdfFormat.N_TRIPLES)
        assert {q.triple for q in sent} == file_triples(path)


def test_plan_push_refuses_two_files_with_one_graph_name(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "people.ttl").write_text("<http://x/s> <http://x/p> <http://x/o> .\n")
    with pytest.raises(UsageError, match="--graph"):
        push.plan_push([tmp_path / "a" / "people.ttl", tmp_path / "b" / "people.ttl"])


def test_plan_push_stops_on_a_broken_file_before_sending(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/s> <http://x/p> .\n")
    with pytest.raises(ip5graph.errors.DataError, match=r"bad\.ttl:1:"):
        push.plan_push([bad])


# ---------------------------------------------------------------- push to a real Oxigraph server


def test_push_puts_each_file_in_its_graph_and_verifies(oxigraph_server):
    files = list(Inputs.default().files)
    r = client.remote(oxigraph_server)
    seen = []
    pushed = push.push(r, push.plan_push(files), on_graph=seen.append)
    assert seen == pushed and all(p.created for p in pushed)
    for path, p in zip(files, pushed):
        assert p.iri == push.GRAPH_BASE + path.stem
        assert p.triples == push.count_triples(r, p.iri) == len(file_triples(path))
        assert graph_triples(oxigraph_server, p.iri) == file_triples(path)
    # a second push replaces, it does not add
    again = push.push(r, push.plan_push(files))
    assert [p.triples for p in again] == [p.triples for p in pushed]
    assert not any(p.created for p in again)


def test_push_replaces_a_graph_whole(oxigraph_server, tmp_path):
    r = client.remote(oxigraph_server)
    f = tmp_path / "people.ttl"
    f.write_text("".join(f"<http://x/old{i}> <http://x/p> {i} .\n" for i in range(50)))
    push.push(r, push.plan_push([f]))
    f.write_text("<http://x/new> <http://x/p> 1 .\n")
    (p,) = push.push(r, push.plan_push([f]))
    assert p.triples == 1
    assert graph_triples(oxigraph_server, push.GRAPH_BASE + "people") == file_triples(f)


def test_push_into_one_graph(oxigraph_server, local):
    r = client.remote(oxigraph_server)
    iri = "https://example.org/ip5"
    (p,) = push.push(r, push.plan_push(list(Inputs.default().files), iri))
    n = local.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert p.triples == int(n.value)
    assert push.count_triples(r, iri) == p.triples


def test_push_reports_progress_in_bytes(oxigraph_server):
    plan = push.plan_push(list(Inputs.default().files))
    total = sum(len(u.body) for u in plan)
    calls = []
    push.push(client.remote(oxigraph_server), plan, progress=lambda done, tot: calls.append((done, tot)))
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) >= len(plan)


def test_push_fails_loudly_when_the_count_does_not_match(oxigraph_server, tmp_path):
    """Graphs go to one server, but the count comes from another (empty) one: a mismatch."""
    f = tmp_path / "people.ttl"
    f.write_text("<http://x/s> <http://x/p> 1 .\n<http://x/s> <http://x/p> 2 .\n")
    port = free_port()
    other = subprocess.Popen(
        [process.oxigraph_executable(), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port, other)
        r = client.remote(query_url=f"http://127.0.0.1:{port}/query", store_url=oxigraph_server + "/store")
        with pytest.raises(push.PushVerificationError, match="sent 2 triples but the endpoint holds 0"):
            push.push(r, push.plan_push([f]))
    finally:
        stop(other)


def test_push_needs_a_store_url():
    r = client.remote(query_url="http://127.0.0.1:1/sparql")
    with pytest.raises(UsageError, match="--store-url"):
        push.push(r, push.plan_push(list(Inputs.default().files)[:1]))


# ---------------------------------------------------------------- remote queries


@pytest.fixture()
def pushed_server(oxigraph_server):
    r = client.remote(oxigraph_server)
    plan = push.plan_push(list(Inputs.default().files))
    push.push(r, plan)
    return oxigraph_server, [u.iri for u in plan]


def test_every_named_query_answers_remotely_as_embedded(pushed_server, local):
    """One named graph per file on the server; the protocol's default-graph-uri merges them."""
    base, graphs = pushed_server
    engine = remote.RemoteEngine(client.remote(base, default_graphs=graphs))
    for query in QUERIES:
        prepared = parameters.prepare_named(query, query.example_bindings())
        expected, got = local.run(prepared), engine.run(prepared)
        assert same_answer(expected, got), query.name
        assert len(got) > 0, query.name


def test_remote_result_prints_in_every_format_as_embedded(pushed_server, local):
    base, graphs = pushed_server
    engine = remote.RemoteEngine(client.remote(base, default_graphs=graphs))
    from ip5graph.query.formats import GRAPH_FORMATS, SELECT_FORMATS

    for name in ("04-office-heads", "18-meeting-graph"):
        query = catalogue.find(name, QUERIES)
        prepared = parameters.prepare_named(query, query.example_bindings())
        expected, got = local.run(prepared), engine.run(prepared)
        formats = GRAPH_FORMATS if got.is_graph else SELECT_FORMATS
        for fmt in formats:
            if not got.is_graph and fmt not in ("table", "md"):
                # row order is the ORDER BY's, identical on both sides
                assert got.serialize(fmt) == expected.serialize(fmt), (name, fmt)
            elif fmt in ("ttl", "nt", "jsonld"):
                assert got.serialize(fmt) == expected.serialize(fmt), (name, fmt)
        # the table shows labels fetched from the endpoint, not IRIs
        assert got.to_table(200) == expected.to_table(200)


def test_remote_query_without_the_graph_in_the_default_graph_finds_nothing(pushed_server):
    """The server's default graph is empty here: the endpoint decides the dataset, not us."""
    base, _ = pushed_server
    result = remote.RemoteEngine(client.remote(base)).run(parameters.resolve("01-offices", {}))
    assert len(result) == 0


def test_remote_syntax_error_is_one_line(pushed_server):
    base, _ = pushed_server
    engine = remote.RemoteEngine(client.remote(base))
    with pytest.raises(QueryError) as err:
        engine.run(parameters.Prepared("SELECT ?x WHERE { ?x ?y }", {}, "<query>", "SELECT"))
    assert "\n" not in str(err.value) and "HTTP 400" in str(err.value)


def test_connection_refused_is_one_line():
    engine = remote.RemoteEngine(client.remote(f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(QueryError, match="cannot connect") as err:
        engine.run(parameters.resolve("01-offices", {}))
    assert "\n" not in str(err.value)


def test_a_silent_server_times_out():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts the connection, never answers
        engine = remote.RemoteEngine(client.remote(f"http://127.0.0.1:{s.getsockname()[1]}", timeout=0.5))
        with pytest.raises(QueryError, match=r"no answer within 0\.5 s"):
            engine.run(parameters.resolve("01-offices", {}))


class _AuthHandler(http.server.BaseHTTPRequestHandler):
    seen: list[str | None] = []

    def do_POST(self):  # noqa: N802 - the http.server protocol
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _AuthHandler.seen.append(self.headers.get("Authorization"))
        if self.headers.get("Authorization") not in ("Bearer t0ken", "Basic dTpw"):
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b"login first")
            return
        body = b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def auth_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AuthHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _AuthHandler.seen = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_basic_bearer_and_none(auth_server, monkeypatch):
    monkeypatch.delenv(client.TOKEN_ENV, raising=False)
    prepared = parameters.Prepared("SELECT ?n WHERE { ?s ?p ?n }", {}, "<query>", "SELECT")
    with pytest.raises(QueryError, match=r"HTTP 401: login first \(log in with"):
        remote.RemoteEngine(client.remote(auth_server)).run(prepared)
    assert len(remote.RemoteEngine(client.remote(auth_server, user="u", password="p")).run(prepared)) == 0
    monkeypatch.setenv(client.TOKEN_ENV, "t0ken")
    assert len(remote.RemoteEngine(client.remote(auth_server)).run(prepared)) == 0
    assert _AuthHandler.seen == [None, "Basic dTpw", "Bearer t0ken"]


# ---------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def served(cache):
    """endpoint.Server over the CLI's cached store, on a free port."""
    server = process.Server(process.store_location(Inputs.default(), cache), "127.0.0.1", free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_serve_answers_a_plain_http_client(served, local):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, body = fetch(
        "GET",
        f"{served.url}/query?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert status == 200
    n = local.query(query).rows[0][0].value
    assert b'"value":"%s"' % n.encode() in body


def test_serve_answers_every_named_query_as_embedded(served, local):
    engine = remote.RemoteEngine(client.remote(served.url))
    for query in QUERIES:
        prepared = parameters.prepare_named(query, query.example_bindings())
        assert same_answer(local.run(prepared), engine.run(prepared)), query.name


def test_serve_has_a_query_page_without_cdn(served):
    status, body = fetch("GET", served.url + "/")
    assert status == 200 and b"yasgui" in body.lower()
    assert b"https://" not in body and b"//unpkg" not in body


def test_serve_refuses_updates_and_graph_writes(served, local):
    status, body = fetch(
        "POST",
        served.url + "/update",
        b"INSERT DATA { <http://x/s> <http://x/p> 1 }",
        {"Content-Type": "application/sparql-update"},
    )
    assert status == 403 and b"read-only" in body
    status, _ = fetch(
        "PUT",
        served.url + "/store?graph=http://x/g",
        b"<http://x/s> <http://x/p> 1 .",
        {"Content-Type": "application/n-triples"},
    )
    assert status == 403
    assert (
        remote.RemoteEngine(client.remote(served.url))
        .run(parameters.prepare_text("ASK { <http://x/s> ?p ?o }", {}))
        .boolean
        is False
    )


def test_serve_on_a_taken_port_says_so(served):
    other = process.Server(served.location, "127.0.0.1", served.port)
    with pytest.raises(client.EndpointError, match=f"port {served.port} on 127.0.0.1 is already in use"):
        other.start()
    assert other.process is None  # never started


def test_serve_reports_a_server_that_dies_at_once(tmp_path, cache):
    """A store the server cannot open: the child's own message, in one line."""
    (tmp_path / "notastore").mkdir()
    (tmp_path / "notastore" / "CURRENT").write_text("garbage\n")
    server = process.Server(tmp_path / "notastore", "127.0.0.1", free_port())
    with pytest.raises(client.EndpointError, match="stopped at once") as err:
        server.start()
    assert "\n" not in str(err.value)


def test_server_stops_with_its_parent(cache, tmp_path):
    """A SIGKILLed ip5graph does not leave the Oxigraph server running (Linux death signal)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    port = free_port()
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from ip5graph.serve import process\n"
        f"s = process.Server(Path({str(process.store_location(Inputs.default(), cache))!r}), '127.0.0.1', {port})\n"
        "s.start()\n"
        "print(s.process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        child = int(parent.stdout.readline())
        wait_listening(port)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            with open(f"/proc/{child}/stat") as f:
                if f.read().split()[2] == "Z":  # reaped by init soon; already dead
                    break
            time.sleep(0.1)
        else:
            os.kill(child, signal.SIGKILL)
            pytest.fail("the server outlived its parent")
    finally:
        stop(parent)


# ---------------------------------------------------------------- the command line, end to end


def run_cli(*args: str, cache: Path, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ip5graph", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache), **(env or {})},
    )


def start_cli_serve(cache: Path, port: int, ignore_sigint: bool = False) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ip5graph", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)},
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None,
    )
    line = proc.stdout.readline()
    return proc, line


@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("xdg")


def test_cli_serve_answers_refuses_updates_and_stops_on_ctrl_c(cli_cache, local):
    port = free_port()
    proc, line = start_cli_serve(cli_cache, port)
    try:
        url = f"http://127.0.0.1:{port}"
        assert f"{url}/" in line and "read-only" in line
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        status, body = fetch(
            "POST", url + "/query", query.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
        )
        assert status == 200
        assert body.decode().split() == ["n", local.query(query).rows[0][0].value]
        status, _ = fetch("POST", url + "/update", b"CLEAR ALL", {"Content-Type": "application/sparql-update"})
        assert status == 403
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
        assert "Traceback" not in proc.stderr.read()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        stop(proc)


@pytest.mark.parametrize(
    ("sig", "ignore_sigint"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["sigint-as-a-background-job", "sigterm"],
)
def test_cli_serve_stops_on_a_signal(cli_cache, sig, ignore_sigint):
    """A shell starts `ip5graph serve &` with SIGINT ignored; the server must not inherit that."""
    port = free_port()
    proc, line = start_cli_serve(cli_cache, port, ignore_sigint=ignore_sigint)
    try:
        assert f"127.0.0.1:{port}" in line
        proc.send_signal(sig)
        assert proc.wait(15) == 0
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        stop(proc)


def test_cli_serve_on_a_taken_port_is_one_line(cli_cache):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        out = run_cli("serve", "--port", str(port), cache=cli_cache)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"ip5graph: error: port {port} on 127.0.0.1 is already in use; stop the other server or choose another --port"
    ]


def test_cli_push_then_query_remotely_in_every_format(cli_cache, oxigraph_server):
    out = run_cli("push", "--endpoint", oxigraph_server, cache=cli_cache)
    assert out.returncode == 0, out.stderr
    files = list(Inputs.default().files)
    lines = out.stdout.splitlines()
    assert len(lines) == len(files) + 1 and "counts verified" in lines[-1]
    for path, line in zip(files, lines):
        iri, n, *_ = line.split()
        assert iri == push.GRAPH_BASE + path.stem and int(n) == len(file_triples(path))
    # the server's default graph is empty: an empty answer, and a note on stderr that says why
    bare = run_cli("query", "01-offices", "--endpoint", oxigraph_server, cache=cli_cache)
    assert bare.returncode == 0 and "(0 rows)" in bare.stdout
    assert "--default-graph" in bare.stderr and "union-default-graph" in bare.stderr
    graphs = [a for f in files for a in ("--default-graph", push.GRAPH_BASE + f.stem)]
    for fmt in ("json", "csv", "xml", "table"):
        args = ["query", "04-office-heads", "--param", "office=office:jpo", "--format", fmt]
        remote = run_cli(*args, "--endpoint", oxigraph_server, *graphs, cache=cli_cache)
        embedded = run_cli(*args, cache=cli_cache)
        assert remote.returncode == embedded.returncode == 0, remote.stderr
        assert remote.stdout == embedded.stdout and remote.stdout.strip()
        assert remote.stderr == ""
    remote = run_cli(
        "query",
        "18-meeting-graph",
        "--param",
        "meeting=meeting:heads-2021",
        "--format",
        "nt",
        "--endpoint",
        oxigraph_server,
        *graphs,
        cache=cli_cache,
    )
    assert (
        remote.returncode == 0
        and remote.stdout
        == run_cli(
            "query", "18-meeting-graph", "--param", "meeting=meeting:heads-2021", "--format", "nt", cache=cli_cache
        ).stdout
    )


def test_cli_query_endpoint_errors_are_one_line(cli_cache):
    port = free_port()
    out = run_cli("query", "01-offices", "--endpoint", f"http://127.0.0.1:{port}", cache=cli_cache)
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1 and "cannot connect" in out.stderr
    out = run_cli("query", "01-offices", "--endpoint", "http://127.0.0.1:1", "--data", "x", cache=cli_cache)
    assert out.returncode == 2 and "--data" in out.stderr


def test_cli_push_with_a_wrong_password_is_one_line(cli_cache, auth_server):
    out = run_cli(
        "push",
        "--query-url",
        auth_server + "/q",
        "--store-url",
        auth_server + "/s",
        "--user",
        "u",
        "--password",
        "wrong",
        cache=cli_cache,
    )
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1 and "HTTP" in out.stderr


# ---------------------------------------------------------------- an interrupted push


class StallingProxy:
    """A loopback TCP proxy that lets requests through, except the body of the Nth PUT: it
    forwards that request's headers and half its body, then holds the rest back."""

    def __init__(self, upstream_port: int, stall_on_put: int) -> None:
        self.upstream = upstream_port
        self.stall_on = stall_on_put
        self.puts = 0
        self.stalled = threading.Event()
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            self.conns += [client, server]
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass

    def _up(self, client: socket.socket, server: socket.socket) -> None:
        head = b""
        try:
            while b"\r\n\r\n" not in head:
                data = client.recv(65536)
                if not data:
                    return
                head += data
            if head.startswith(b"PUT "):
                with self.lock:
                    self.puts += 1
                    stall = self.puts == self.stall_on
                if stall:
                    header, _, body = head.partition(b"\r\n\r\n")
                    length = int(
                        next(
                            line.split(b":")[1]
                            for line in header.split(b"\r\n")
                            if line.lower().startswith(b"content-length:")
                        )
                    )
                    while len(body) < length // 2:
                        body += client.recv(65536)
                    server.sendall(header + b"\r\n\r\n" + body[: length // 2])
                    self.stalled.set()
                    return  # the rest never goes through
            server.sendall(head)
            self._pump(client, server)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()
        for c in self.conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            c.close()


def test_an_interrupted_push_leaves_each_graph_as_before_or_complete(cli_cache, oxigraph_server, tmp_path):
    files = list(Inputs.default().files)
    assert len(files) >= 3
    r = client.remote(oxigraph_server)
    # the state before: every graph holds an older, different version
    old = {}
    for path in files:
        older = tmp_path / path.name
        older.write_text(f'<urn:old:{path.stem}> <urn:old:p> "old" .\n<urn:old:x> <urn:old:p> 1 .\n')
        (pushed,) = push.push(r, push.plan_push([older]))
        old[pushed.iri] = graph_triples(oxigraph_server, pushed.iri)
    new = {push.GRAPH_BASE + p.stem: file_triples(p) for p in files}
    port = int(oxigraph_server.rsplit(":", 1)[1])
    proxy = StallingProxy(port, stall_on_put=2)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ip5graph", "push", "--endpoint", f"http://127.0.0.1:{proxy.port}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cli_cache)},
    )
    try:
        assert proxy.stalled.wait(60), "the push never reached its second graph"
        proc.kill()  # midway through the second graph's body
        proc.wait(10)
    finally:
        stop(proc)
        proxy.close()
    time.sleep(0.5)  # let the server notice the short body
    states = {}
    for iri in new:
        now = graph_triples(oxigraph_server, iri)
        assert now in (old[iri], new[iri]), f"{iri} is neither as before nor complete"
        states[iri] = "new" if now == new[iri] else "old"
    order = [push.GRAPH_BASE + p.stem for p in files]
    assert states[order[0]] == "new"  # pushed and verified before the kill
    assert all(states[i] == "old" for i in order[1:])  # the interrupted one and those after it
    # and a push that is allowed to finish brings every graph up to date
    out = run_cli("push", "--endpoint", oxigraph_server, cache=cli_cache)
    assert out.returncode == 0, out.stderr
    assert all(graph_triples(oxigraph_server, iri) == triples for iri, triples in new.items())


def test_cli_push_progress_bar_reaches_the_whole_size(cli_cache, oxigraph_server):
    out = run_cli("push", "--endpoint", oxigraph_server, "--progress", cache=cli_cache)
    assert out.returncode == 0, out.stderr
    total = sum(len(u.body) for u in push.plan_push(list(Inputs.default().files)))
    frames = [f for f in out.stderr.splitlines() if f.startswith("[")]  # text mode turned \r into \n
    assert frames and frames[-1].startswith("[" + "#" * 30 + "] 100%")
    assert f"{total / 1e6:.1f}/{total / 1e6:.1f} MB" in frames[-1]


def test_cli_serve_without_the_oxigraph_server_is_one_line(cli_cache):
    out = run_cli(
        "serve", "--port", str(free_port()), cache=cli_cache, env={process.OXIGRAPH_ENV: "/nonexistent/oxigraph"}
    )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "ip5graph: error: cannot start the Oxigraph server (/nonexistent/oxigraph): No such file or directory"
    ]


def test_serve_sets_no_query_timeout_unless_asked():
    """Oxigraph 0.5 holds a sleeping thread per query for the whole --timeout-s (its issue 1874);
    under the load test a 60 s default brought the server down, so the default is none."""
    from ip5graph.cli.app import build_parser

    args = build_parser().parse_args(["serve"])
    assert args.timeout is None
    server = process.Server(Path("/nonexistent"), timeout_s=args.timeout)
    assert "--timeout-s" not in server.command()
    assert process.Server(Path("/nonexistent"), timeout_s=5).command()[-2:] == ["--timeout-s", "5"]
