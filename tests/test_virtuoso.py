"""ip5graph against Virtuoso 7.2.5 as Debian ships it: push, remote queries, and the server's quirks.

Skipped when virtuoso-t is not installed (.ci/run installs virtuoso-opensource). One server per
test session, on loopback, over a throwaway database; stopped at the end even when a test fails.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
import virtuoso_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not virtuoso_server.installed(), reason="virtuoso-opensource is not installed"),
]

USER, PASSWORD = "ip5writer", "pw-for-a-throwaway-db"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = virtuoso_server.Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    try:
        server.add_writer(USER, PASSWORD)
        yield server
    finally:
        server.stop()


def _opener(digest_for: str | None = None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if digest_for:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, digest_for, USER, PASSWORD)
        handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
    return urllib.request.build_opener(*handlers)


def _ask_form(url: str, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
    with _opener().open(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_the_server_listens_on_loopback_only(virtuoso):
    for port in (virtuoso.http_port, virtuoso.isql_port):
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    assert ":1111" not in virtuoso.base and ":8890" not in virtuoso.base
    ini = (virtuoso.directory / "virtuoso.ini").read_text()
    assert f"127.0.0.1:{virtuoso.http_port}" in ini and f"127.0.0.1:{virtuoso.isql_port}" in ini


def test_a_form_encoded_post_is_answered(virtuoso):
    assert _ask_form(virtuoso.sparql, "ASK { }")["boolean"] is True


def test_a_direct_sparql_query_post_is_never_answered(virtuoso):
    """Virtuoso issue 842: why ip5graph falls back to a form-encoded POST."""
    req = urllib.request.Request(
        virtuoso.sparql,
        data=b"ASK { }",
        method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        _opener().open(req, timeout=2).read()


def test_graph_store_writes_need_digest_login(virtuoso):
    body = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"
    url = virtuoso.store_auth + "?graph=" + urllib.parse.quote("https://example.org/g", safe="")

    def put(opener, target=url):
        req = urllib.request.Request(target, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
        return opener.open(req, timeout=30)

    with pytest.raises(urllib.error.HTTPError) as refused:
        put(_opener())
    assert refused.value.code == 401
    assert refused.value.headers.get("WWW-Authenticate", "").startswith("Digest ")
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        put(_opener(), virtuoso.store_anonymous + "?graph=" + urllib.parse.quote("https://example.org/g", safe=""))
    assert anonymous.value.code == 403
    with put(_opener(digest_for=virtuoso.base)) as resp:
        assert resp.status in (200, 201, 204)
    got = _ask_form(virtuoso.sparql, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }")
    assert got["results"]["bindings"][0]["n"]["value"] == "1"
