"""The HTTP client for SPARQL endpoints and stores: where they are, credentials, and one request.

Why urllib and not a new dependency: the SPARQL 1.1 Protocol and the Graph Store HTTP Protocol are
plain HTTP. Credentials never follow a redirect; loopback traffic never goes to a proxy.
Nothing here prints or exits.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ip5graph.errors import Ip5GraphError, UsageError

TOKEN_ENV = "IP5GRAPH_TOKEN"
PASSWORD_ENV = "IP5GRAPH_PASSWORD"
SELECT_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
CHUNK = 64 * 1024


class EndpointError(Ip5GraphError):
    """A remote endpoint or the local server failed: unreachable, HTTP error, timeout, port taken."""


# ---------------------------------------------------------------- endpoints and HTTP


@dataclass(frozen=True)
class Remote:
    """Where a SPARQL service answers queries and (optionally) takes graphs, and how to log in.

    Oxigraph puts everything under one base URL (/query, /update, /store); other servers use
    their own paths, so both URLs can be given explicitly.
    """

    query_url: str
    store_url: str | None = None
    authorization: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    default_graphs: tuple[str, ...] = ()


def _check_url(url: str, option: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} must be an http:// or https:// URL; got {url!r}")
    return url


def authorization(user: str | None = None, password: str | None = None, token: str | None = None) -> str | None:
    """The Authorization header value: Basic for user and password, else Bearer for a token."""
    if user is not None:
        if password is None:
            raise UsageError(f"--user needs --password (or the {PASSWORD_ENV} environment variable)")
        if ":" in user:
            raise UsageError("--user must not contain ':' (HTTP Basic authentication)")
        pair = f"{user}:{password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")
    if password is not None:
        raise UsageError("--password needs --user")
    if token:
        token = token.strip()
        if any(c.isspace() or not c.isprintable() for c in token):
            raise UsageError(f"the token in {TOKEN_ENV} must be one line without spaces")
        return "Bearer " + token
    return None


def remote(
    endpoint: str | None = None,
    *,
    query_url: str | None = None,
    store_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
    default_graphs: Sequence[str] = (),
) -> Remote:
    """A Remote from a base URL (Oxigraph's layout) and/or explicit query and store URLs.

    `password` and `token` default to the IP5GRAPH_PASSWORD and IP5GRAPH_TOKEN environment
    variables, so that secrets need not appear on a command line.
    """
    if endpoint is not None:
        base = _check_url(endpoint, "--endpoint").rstrip("/")
        query_url = query_url or base + "/query"
        store_url = store_url or base + "/store"
    if query_url is None:
        raise UsageError("give --endpoint URL (an Oxigraph server) or --query-url URL")
    _check_url(query_url, "--query-url")
    if store_url is not None:
        _check_url(store_url, "--store-url")
    if timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds; got {timeout}")
    for g in default_graphs:
        check_iri(g, "--default-graph")
    if user is not None and password is None:
        password = os.environ.get(PASSWORD_ENV)
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    return Remote(query_url, store_url, authorization(user, password, token), float(timeout), tuple(default_graphs))


def check_iri(iri: str, option: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UsageError(f"{option} must be an absolute IRI; got {iri!r}") from None
    if not urllib.parse.urlsplit(iri).scheme:
        raise UsageError(f"{option} must be an absolute IRI; got {iri!r}")
    return iri


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would resend the Authorization header to wherever they point."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; use that URL instead", headers, fp)


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    host = urllib.parse.urlsplit(url).hostname or ""
    if is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))  # never send loopback traffic to a proxy
    return urllib.request.build_opener(*handlers)


def one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(url: str) -> str:
    """The URL without any query string (it may carry a long query) or credentials."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = hostport(host, parts.port) if parts.port else f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


def request(
    remote_: Remote,
    method: str,
    url: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: dict[str, str] | None = None,
    length: int | None = None,
) -> Response:
    """One HTTP request; any failure becomes an EndpointError with one line of explanation."""
    hdrs = dict(headers or {})
    hdrs.setdefault("User-Agent", "ip5graph")
    if remote_.authorization:
        hdrs["Authorization"] = remote_.authorization
    if length is not None:
        hdrs["Content-Length"] = str(length)
    req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
    where = f"{method} {_describe(url)}"
    try:
        with _opener(url).open(req, timeout=remote_.timeout) as resp:
            data = resp.read()
            return Response(resp.status, resp.headers.get("Content-Type", ""), data)
    except urllib.error.HTTPError as e:
        try:
            detail = e.read().decode("utf-8", "replace")
        except Exception:  # the body of an error is a nicety
            detail = ""
        detail = one_line(detail or str(e.reason or ""))
        hint = ""
        if e.code == 401 and not remote_.authorization:
            hint = f" (log in with --user/--password or a token in {TOKEN_ENV})"
        raise EndpointError(f"{where}: HTTP {e.code}{': ' + detail if detail else ''}{hint}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise EndpointError(f"{where}: no answer within {remote_.timeout:g} s (--timeout)") from None
        why = one_line(str(getattr(reason, "strerror", None) or reason))
        raise EndpointError(f"{where}: cannot connect: {why}") from None
    except TimeoutError:
        raise EndpointError(f"{where}: no answer within {remote_.timeout:g} s (--timeout)") from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset, bad status line, ...
        raise EndpointError(f"{where}: {one_line(str(e)) or type(e).__name__}") from None


def with_params(url: str, params: Sequence[tuple[str, str]]) -> str:
    if not params:
        return url
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + urllib.parse.urlencode(list(params))


def post_query(remote_: Remote, text: str, accept: str, graphs: Sequence[str] = ()) -> Response:
    """POST one SPARQL query (SPARQL 1.1 Protocol), over the merge of `graphs` if any."""
    url = with_params(remote_.query_url, [("default-graph-uri", g) for g in graphs])
    return request(
        remote_,
        "POST",
        url,
        text.encode("utf-8"),
        {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
    )


def hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
