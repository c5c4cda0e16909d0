"""serve/auth.py and the client's use of it: Digest as well as Basic, a streamed body sent again after a
challenge, and the form-encoded fallback for servers that never answer a direct query POST.

The servers here are small http.server fakes on 127.0.0.1 that check the login as RFC 7616 says
(the Digest response is recomputed with hashlib), and behave as Virtuoso 7.2.5 does where it matters:
an unasked Basic login gets a bare 401, a query POSTed as application/sparql-query gets no answer.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import urllib.parse
import urllib.request

import pytest

from ip5graph.errors import QueryError
from ip5graph.query import parameters
from ip5graph.query.engines import remote
from ip5graph.serve import auth, client, push

USER, PASSWORD, REALM, NONCE = "ip5", "s3cret", "SPARQL", "4b75033cb3987dfa4509bd3aaefc672d"
RESULTS = (
    b'{"head":{"vars":["b"]},"results":{"bindings":[{"b":{"type":"typed-literal",'
    b'"datatype":"http://www.w3.org/2001/XMLSchema#boolean","value":"1"}}]}}'
)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


class _Server(http.server.BaseHTTPRequestHandler):
    """Digest-only, like Virtuoso's /sparql-graph-crud-auth; never answers a direct query POST."""

    log: list[tuple[str, str | None, bytes]] = []
    release = threading.Event()

    def _digest_ok(self) -> bool:
        value = self.headers.get("Authorization", "")
        if not value.startswith("Digest "):
            return False
        p = urllib.request.parse_keqv_list(urllib.request.parse_http_list(value[len("Digest ") :]))
        ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = _md5(f"{self.command}:{p.get('uri')}")
        want = _md5(f"{ha1}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:{p.get('qop')}:{ha2}")
        return p.get("username") == USER and p.get("uri") == self.path and p.get("response") == want

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Server.log.append((self.command, self.headers.get("Authorization"), body))
        if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
            _Server.release.wait(30)  # Virtuoso 7.2.5: no answer at all
            return
        if not self._digest_ok():
            self.send_response(401)
            if not self.headers.get("Authorization", "").startswith("Basic "):
                self.send_header(
                    "WWW-Authenticate",
                    f'Digest realm="{REALM}", nonce="{NONCE}", '
                    'opaque="5ebe2294", stale="false", qop="auth", algorithm="MD5"',
                )
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        out = RESULTS if self.command == "POST" else b""
        self.send_response(201 if self.command == "PUT" else 200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_HEAD = _handle  # noqa: N815 - the http.server protocol

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _Server.log = []
    _Server.release.clear()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        _Server.release.set()
        srv.shutdown()
        srv.server_close()


def test_basic_first_then_digest_when_the_server_asks(server):
    r = client.remote(query_url=server + "/sparql-auth", user=USER, password=PASSWORD)
    resp = client.request(r, "GET", server + "/x?graph=a")
    assert resp.status == 200
    sent = [a for _, a, _ in _Server.log]
    assert sent[0].startswith("Basic ") and sent[1] is None and sent[2].startswith("Digest ")
    _Server.log.clear()
    assert client.request(r, "GET", server + "/x?graph=b").status == 200  # the challenge is answered at once
    assert len(_Server.log) == 1 and _Server.log[0][1].startswith("Digest ") and "nc=00000002" in _Server.log[0][1]


def test_a_streamed_body_is_sent_whole_again_after_the_challenge(server):
    r = client.remote(query_url=server + "/sparql", store_url=server + "/crud", user=USER, password=PASSWORD)
    data = b"<http://x/s> <http://x/p> <http://x/o> .\n" * 5000
    upload = push.GraphUpload("http://x/g", (), data, 1)
    assert push.put_graph(r, upload) is True
    puts = [(a, b) for m, a, b in _Server.log if m == "PUT"]
    assert puts[-1][0].startswith("Digest ") and puts[-1][1] == data


def test_a_wrong_password_is_one_line_not_a_loop(server):
    r = client.remote(query_url=server + "/sparql", user=USER, password="wrong")
    with pytest.raises(client.EndpointError, match=r"^GET http://127\.0\.0\.1:\d+/x: HTTP 401") as err:
        client.request(r, "GET", server + "/x")
    assert "\n" not in str(err.value) and len(_Server.log) <= 3


def test_the_digest_answer_names_the_user_never_the_password(server):
    """The answer urllib computes carries the user and the RFC 7616 fields, not the password."""
    s = auth.Session()
    s.learn({"realm": REALM, "nonce": NONCE, "qop": "auth", "algorithm": "MD5"})
    req = urllib.request.Request(server + "/x?graph=" + urllib.parse.quote("http://x/g", safe=""), method="GET")
    value = s.digest(auth.Login(USER, PASSWORD), req)
    assert value.startswith("Digest ") and f'username="{USER}"' in value and "nc=00000001" in value
    assert PASSWORD not in value


def test_queries_fall_back_to_form_encoding_quickly_and_read_1_as_true(server):
    """No answer to the direct POST: the ASK {} probe gives up after PROBE_TIMEOUT, not the 600 s timeout."""
    r = client.remote(query_url=server + "/sparql", user=USER, password=PASSWORD, timeout=600)
    finished = threading.Event()
    out = {}

    def run():
        try:
            out["result"] = remote.RemoteEngine(r).run(parameters.prepare_text("SELECT ?b WHERE { ?s ?p ?b }", {}))
        except QueryError as e:  # pragma: no cover - reported below
            out["error"] = e
        finished.set()

    threading.Thread(target=run, daemon=True).start()
    assert finished.wait(client.PROBE_TIMEOUT + 20), "waited for the full --timeout"
    assert "error" not in out, out.get("error")
    assert r.session.query_method == "form"
    (value,) = out["result"].rows[0]
    assert value.value == "true"  # Virtuoso's "1"^^xsd:boolean, read canonically
    posts = [b for m, _, b in _Server.log if m == "POST"]
    assert posts[0] == b"ASK {}" and posts[-1].startswith(b"query=SELECT")
