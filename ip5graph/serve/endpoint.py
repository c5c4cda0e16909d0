"""Serving the graph over SPARQL 1.1, pushing it to a remote store, and querying a remote endpoint.

Why drive other servers instead of writing one: the Oxigraph server already speaks the SPARQL 1.1
Protocol and the Graph Store HTTP Protocol over the same on-disk store the CLI caches, and
production stores (Fuseki, GraphDB, ...) speak the same protocols. So this module only starts a
child process, and sends plain HTTP with urllib (no new dependency).

Nothing here prints or exits: progress and the child server's own messages go to callbacks.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import http.client
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError, Ip5GraphError, QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.results import Result
from ip5graph.rdf.namespaces import RDFS_LABEL

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.kg.store import Inputs

GRAPH_BASE = "https://w3id.org/ip5graph/graph/"
TOKEN_ENV = "IP5GRAPH_TOKEN"
PASSWORD_ENV = "IP5GRAPH_PASSWORD"
OXIGRAPH_ENV = "IP5GRAPH_OXIGRAPH"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878

SELECT_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_CHUNK = 64 * 1024
_LABEL_BATCH = 200


class EndpointError(Ip5GraphError):
    """A remote endpoint or the local server failed: unreachable, HTTP error, timeout, port taken."""


class PushVerificationError(EndpointError):
    """A pushed graph does not hold the number of triples that was sent."""


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


def authorization(user: str | None = None, password: str | None = None,
                  token: str | None = None) -> str | None:
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


def remote(endpoint: str | None = None, *, query_url: str | None = None,
           store_url: str | None = None, user: str | None = None, password: str | None = None,
           token: str | None = None, timeout: float = 60.0,
           default_graphs: Sequence[str] = ()) -> Remote:
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
        _check_iri(g, "--default-graph")
    if user is not None and password is None:
        password = os.environ.get(PASSWORD_ENV)
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    return Remote(query_url, store_url, authorization(user, password, token), float(timeout),
                  tuple(default_graphs))


def _check_iri(iri: str, option: str) -> str:
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
        raise urllib.error.HTTPError(req.full_url, code,
                                     f"redirected to {newurl}; use that URL instead", headers, fp)


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    host = urllib.parse.urlsplit(url).hostname or ""
    if is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))  # never send loopback traffic to a proxy
    return urllib.request.build_opener(*handlers)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(url: str) -> str:
    """The URL without any query string (it may carry a long query) or credentials."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = _hostport(host, parts.port) if parts.port else f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes


def _http(remote_: Remote, method: str, url: str, body: bytes | Iterable[bytes] | None = None,
          headers: dict[str, str] | None = None, length: int | None = None) -> _Response:
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
            return _Response(resp.status, resp.headers.get("Content-Type", ""), data)
    except urllib.error.HTTPError as e:
        try:
            detail = e.read().decode("utf-8", "replace")
        except Exception:  # the body of an error is a nicety
            detail = ""
        detail = _one_line(detail or str(e.reason or ""))
        hint = ""
        if e.code == 401 and not remote_.authorization:
            hint = f" (log in with --user/--password or a token in {TOKEN_ENV})"
        raise EndpointError(f"{where}: HTTP {e.code}{': ' + detail if detail else ''}{hint}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise EndpointError(f"{where}: no answer within {remote_.timeout:g} s (--timeout)") from None
        why = _one_line(str(getattr(reason, "strerror", None) or reason))
        raise EndpointError(f"{where}: cannot connect: {why}") from None
    except TimeoutError:
        raise EndpointError(f"{where}: no answer within {remote_.timeout:g} s (--timeout)") from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset, bad status line, ...
        raise EndpointError(f"{where}: {_one_line(str(e)) or type(e).__name__}") from None


def _with_params(url: str, params: Sequence[tuple[str, str]]) -> str:
    if not params:
        return url
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + urllib.parse.urlencode(list(params))


def _post_query(remote_: Remote, text: str, accept: str, graphs: Sequence[str] = ()) -> _Response:
    """POST one SPARQL query (SPARQL 1.1 Protocol), over the merge of `graphs` if any."""
    url = _with_params(remote_.query_url, [("default-graph-uri", g) for g in graphs])
    return _http(remote_, "POST", url, text.encode("utf-8"),
                 {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})


# ---------------------------------------------------------------- queries against an endpoint


def _outer_group(tokens: list[tuple[str, str, int]]) -> int | None:
    """The text offset just after the '{' that opens the query's outermost WHERE group.

    That is the '{' after a top-level WHERE keyword; without one (`SELECT ?x { ... }`,
    `ASK { ... }`), the first top-level '{'. A CONSTRUCT template always has WHERE after it.
    """
    depth = 0
    first = None
    after_where = False
    for kind, value, start in tokens:
        if kind == "word" and depth == 0 and value.upper() == "WHERE":
            after_where = True
        elif kind == "other" and value == "{":
            if depth == 0:
                if after_where:
                    return start + 1
                if first is None:
                    first = start + 1
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
    return None if after_where else first  # a top-level WHERE without a group: malformed


def bind_text(text: str, bindings: dict[str, object], source: str = "<query>") -> str:
    """The query text with its parameters bound, for a server that takes text only.

    The parameters go into a VALUES block at the start of the outermost WHERE group, so they are
    bound before every pattern and FILTER runs, as a substitution would. The terms are written
    in N-Triples syntax by pyoxigraph, which escapes them: user text is never spliced into the
    query as SPARQL. A `FROM <the loaded graph>` clause is dropped: on a remote store the
    dataset is the endpoint's default graph (or --default-graph).
    """
    tokens = safety.tokens(text)
    loaded = f"<{safety.LOADED_GRAPH}>"
    cuts: list[tuple[int, int]] = []
    for i, (kind, value, start) in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if kind == "word" and value.upper() == "FROM" and nxt[1] == loaded:
            cuts.append((start, nxt[2] + len(nxt[1])))
    if bindings:
        at = _outer_group(tokens)
        if at is None:
            raise UsageError(f"{source}: parameters need a query with a WHERE clause")
        names = list(bindings)
        for name in names:
            term = bindings[name]
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise UsageError(f"parameter '{name}' must be an IRI or a literal")
        values = " VALUES (" + " ".join("?" + n for n in names) + ") { (" \
            + " ".join(str(bindings[n]) for n in names) + ") } "
        text = text[:at] + values + text[at:]
        # the insertion is after every FROM clause, so the offsets of the cuts still hold
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


def _parse_solutions(resp: _Response, source: str) -> ox.QuerySolutions | ox.QueryBoolean:
    ctype = resp.content_type.split(";")[0].strip().lower()
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "application/xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }.get(ctype)
    if fmt is None:
        raise EndpointError(f"{source}: the endpoint answered with {ctype or 'no content type'}, "
                            "not SPARQL results")
    try:
        return ox.parse_query_results(resp.body, format=fmt)
    except (SyntaxError, ValueError) as e:
        raise EndpointError(f"{source}: unreadable SPARQL results from the endpoint: "
                            f"{_one_line(str(e))}") from None


def _parse_triples(resp: _Response, source: str) -> list[ox.Triple]:
    ctype = resp.content_type.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        raise EndpointError(f"{source}: the endpoint answered with {ctype or 'no content type'}, "
                            "not RDF")
    try:
        return [q.triple for q in ox.parse(resp.body, format=fmt)]
    except SyntaxError as e:
        raise EndpointError(f"{source}: unreadable RDF from the endpoint: {_one_line(str(e))}") from None


class RemoteEngine:
    """Runs prepared queries on a SPARQL 1.1 endpoint; the same interface as engines.*Engine."""

    name = "remote"

    def __init__(self, remote_: Remote) -> None:
        self.remote = remote_

    def _post(self, text: str, accept: str) -> _Response:
        return _post_query(self.remote, text, accept, self.remote.default_graphs)

    def run(self, prepared: parameters.Prepared) -> Result:
        text = bind_text(prepared.text, prepared.bindings, prepared.source)
        graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
        try:
            resp = self._post(text, GRAPH_ACCEPT if graph_form else SELECT_ACCEPT)
        except EndpointError as e:
            raise QueryError(f"{prepared.source}: {e}") from None
        if graph_form:
            return Result(prepared.form, triples=_parse_triples(resp, prepared.source),
                          labeller=self.labels)
        answer = _parse_solutions(resp, prepared.source)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer), labeller=self.labels)
        variables = [v.value for v in answer.variables]
        rows = [tuple(sol[i] for i in range(len(variables))) for sol in answer]
        return Result("SELECT", variables, rows, labeller=self.labels)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """rdfs:label of each IRI, picked as the local engines pick (English first)."""
        from ip5graph.rdf.terms import pick_label

        iris = sorted(set(iris))
        found: dict[str, list[tuple[str, str]]] = {}
        for i in range(0, len(iris), _LABEL_BATCH):
            batch = " ".join(str(ox.NamedNode(x)) for x in iris[i:i + _LABEL_BATCH])
            text = (f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {batch} }} "
                    f"?s <{RDFS_LABEL}> ?l FILTER(isLiteral(?l)) }}")
            try:
                answer = _parse_solutions(self._post(text, SELECT_ACCEPT), "labels")
            except EndpointError:
                return {}  # labels are a nicety for the table: show the IRIs instead
            if isinstance(answer, ox.QuerySolutions):
                for sol in answer:
                    s, lit = sol["s"], sol["l"]
                    if isinstance(s, ox.NamedNode) and isinstance(lit, ox.Literal):
                        found.setdefault(s.value, []).append((lit.value, lit.language or ""))
        out = {}
        for iri, lits in found.items():
            label = pick_label(lits)
            if label is not None:
                out[iri] = label
        return out


def count_triples(remote_: Remote, graph: str) -> int:
    """How many triples the endpoint holds in one named graph."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
    answer = _parse_solutions(_post_query(remote_, text, SELECT_ACCEPT), f"count of <{graph}>")
    rows = list(answer) if isinstance(answer, ox.QuerySolutions) else []
    term = rows[0]["n"] if rows else None
    try:
        return int(term.value)  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        raise EndpointError(f"count of <{graph}>: the endpoint gave no number") from None


# ---------------------------------------------------------------- push (Graph Store Protocol)


@dataclass(frozen=True)
class GraphUpload:
    """One named graph to send: its IRI, the files it is made of, its N-Triples and their count."""

    iri: str
    files: tuple[Path, ...]
    body: bytes = field(repr=False)
    triples: int


@dataclass(frozen=True)
class Pushed:
    """A graph the endpoint now holds, with the count it reported back."""

    iri: str
    triples: int
    created: bool


def graph_iri(path: Path) -> str:
    """The named graph of one source file: https://w3id.org/ip5graph/graph/{file-stem}."""
    return GRAPH_BASE + urllib.parse.quote(path.stem, safe="-._~")


def _triples_of(path: Path) -> set[ox.Triple]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)}
    except SyntaxError as e:
        from ip5graph.kg.store import syntax_message

        raise DataError(syntax_message(path, e)) from None


def _upload(iri: str, files: Sequence[Path], triples: set[ox.Triple]) -> GraphUpload:
    body = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
    return GraphUpload(iri, tuple(files), body, len(triples))


def plan_push(files: Sequence[Path], graph: str | None = None) -> list[GraphUpload]:
    """Parse the files and lay out what to send: one graph per file, or all in `graph`.

    Parsing here first means a broken file stops the push before anything is sent, and gives
    the exact number of distinct triples each remote graph must hold afterwards.
    """
    if not files:
        raise DataError("nothing to push: no input files")
    if graph is not None:
        _check_iri(graph, "--graph")
        merged: set[ox.Triple] = set()
        for path in files:
            merged |= _triples_of(path)
        return [_upload(graph, files, merged)]
    seen: dict[str, Path] = {}
    uploads = []
    for path in files:
        iri = graph_iri(path)
        if iri in seen:
            raise UsageError(f"{seen[iri]} and {path} would both go to <{iri}>; rename one, "
                             "or push everything into one graph with --graph IRI")
        seen[iri] = path
        uploads.append(_upload(iri, [path], _triples_of(path)))
    return uploads


Progress = Callable[[int, int], None]


def _chunks(body: bytes, done: int, total: int, progress: Progress | None) -> Iterator[bytes]:
    view = memoryview(body)
    for i in range(0, len(body), _CHUNK):
        chunk = view[i:i + _CHUNK]
        yield bytes(chunk)
        if progress:
            progress(done + i + len(chunk), total)


def put_graph(remote_: Remote, upload: GraphUpload, progress: Progress | None = None,
              done: int = 0, total: int = 0) -> bool:
    """Replace one remote graph with a single Graph Store PUT; True when the graph is new.

    One request carries the whole graph with its Content-Length, so a client that dies midway
    leaves a short body that the server rejects: the graph stays as it was. (A DELETE then a
    POST would leave it empty or half-loaded in between; that is never done here.)
    """
    if remote_.store_url is None:
        raise UsageError("pushing needs a Graph Store URL: give --endpoint or --store-url")
    url = _with_params(remote_.store_url, [("graph", upload.iri)])
    resp = _http(remote_, "PUT", url, _chunks(upload.body, done, total or len(upload.body), progress),
                 {"Content-Type": "application/n-triples"}, length=len(upload.body))
    return resp.status == 201


def push(remote_: Remote, uploads: Sequence[GraphUpload], progress: Progress | None = None,
         on_graph: Callable[[Pushed], None] | None = None) -> list[Pushed]:
    """PUT each graph whole, then check its triple count with a SPARQL query.

    A mismatch raises PushVerificationError at once, naming the graph and both counts.
    """
    total = sum(len(u.body) for u in uploads)
    done = 0
    out = []
    for upload in uploads:
        created = put_graph(remote_, upload, progress, done, total)
        done += len(upload.body)
        got = count_triples(remote_, upload.iri)
        if got != upload.triples:
            raise PushVerificationError(
                f"<{upload.iri}>: sent {upload.triples} triples but the endpoint holds {got}")
        pushed = Pushed(upload.iri, got, created)
        out.append(pushed)
        if on_graph:
            on_graph(pushed)
    return out


# ---------------------------------------------------------------- serve (Oxigraph server)


def oxigraph_executable() -> str:
    """The `oxigraph` server binary: $IP5GRAPH_OXIGRAPH, next to this Python, or on PATH."""
    override = os.environ.get(OXIGRAPH_ENV)
    if override:
        return override
    exe = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sysconfig.get_path("scripts")) / exe
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise EndpointError("the Oxigraph server is not installed: pip install 'ip5graph[serve]' (or 'oxigraph>=0.5,<0.6')")


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_for(host: str, port: int) -> str:
    """The base URL a server bound to host:port answers on."""
    return f"http://{_hostport(host, port)}"


def check_port_free(host: str, port: int) -> None:
    """Fail with one clear line when host:port cannot be bound (in use, or not an address here)."""
    if not 0 < port < 65536:
        raise UsageError(f"--port must be between 1 and 65535; got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise UsageError(f"--host {host}: not a usable address ({e.strerror})") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if os.name != "nt":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself does
        try:
            s.bind(addr)
        except OSError as e:
            if e.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise EndpointError(f"port {port} on {host} is already in use; "
                                    "stop the other server or choose another --port") from None
            raise EndpointError(f"cannot listen on {_hostport(host, port)}: {e.strerror or e}") from None


def _child_setup() -> None:
    """In the child, before exec: default SIGINT/SIGTERM, and on Linux die with ip5graph.

    A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored
    across exec: the server would then shrug off the Ctrl-C ip5graph forwards to it.
    PR_SET_PDEATHSIG makes Linux SIGTERM the server if ip5graph dies, even by SIGKILL.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def store_location(inputs: Inputs, cache_dir: Path | None = None) -> Path:
    """The directory of the cached store for these inputs, built first when missing.

    The same store the CLI queries; it is complete once this returns (store.py publishes it
    with an atomic rename only after building it).
    """
    from ip5graph.kg import store

    link = store.store_path(inputs, cache_dir)
    target = link.resolve() if link.is_symlink() else None
    if target is None or not target.is_dir():
        target = store.build_store(inputs, cache_dir)
    return target


class Server:
    """An `oxigraph serve-read-only` child process over a store directory.

    Read-only is the point: the server answers SPARQL queries and refuses updates and Graph
    Store writes (HTTP 403), and several readers may share the cached store.
    """

    def __init__(self, location: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                 read_only: bool = True, timeout_s: float | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.location = Path(location)
        self.host = host
        self.port = port
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self._lines: list[str] = []
        self._listening = threading.Event()
        self._reader: threading.Thread | None = None
        self._stopping = False

    @property
    def url(self) -> str:
        return url_for(self.host, self.port)

    def command(self) -> list[str]:
        cmd = [oxigraph_executable(), "serve-read-only" if self.read_only else "serve",
               "--location", str(self.location), "--bind", _hostport(self.host, self.port)]
        if self.timeout_s:
            cmd += ["--timeout-s", str(max(1, int(self.timeout_s)))]
        return cmd

    def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            if line.startswith("Listening for requests at"):
                self._listening.set()
                continue
            self._lines = [*self._lines[-19:], line]
            if self.log:
                self.log(line)

    def start(self, ready_timeout: float = 60.0) -> str:
        """Start the server and wait until it answers; returns its URL.

        The port is tried first, so a taken port gives a clear message; if the server still
        dies early (for instance a race for the port), its own last message is reported.
        """
        if not self.location.is_dir():
            raise EndpointError(f"{self.location}: no store there")
        check_port_free(self.host, self.port)
        try:
            self.process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_child_setup if os.name == "posix" else None)
        except OSError as e:
            raise EndpointError(f"cannot start the Oxigraph server ({e.filename or 'oxigraph'}): "
                                f"{e.strerror or e}") from None
        self._reader = threading.Thread(target=self._read_stderr, name="oxigraph-stderr", daemon=True)
        self._reader.start()
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self._reader.join(timeout=2)
                raise EndpointError(self._death_message(code))
            if self._listening.is_set() and self._answers():
                return self.url
            time.sleep(0.05)
        self.stop()
        raise EndpointError(f"the Oxigraph server did not answer on {self.url} within {ready_timeout:g} s")

    def _death_message(self, code: int) -> str:
        last = self._lines[-1] if self._lines else f"exit code {code}"
        if "address already in use" in last.lower() or "os error 98" in last.lower():
            return (f"port {self.port} on {self.host} is already in use; "
                    "stop the other server or choose another --port")
        return f"the Oxigraph server stopped at once: {_one_line(last)}"

    def _answers(self) -> bool:
        try:
            with socket.create_connection((self.host.strip("[]"), self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Stop the server (signal, wait, then kill if it hangs); returns its exit code."""
        proc = self.process
        if proc is None:
            return None
        self._stopping = True
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=2)
        return proc.returncode

    def run(self, on_ready: Callable[[str], None] | None = None, keepalive: float = 600.0) -> None:
        """Start, call `on_ready(url)`, and serve until SIGINT/SIGTERM or until the server dies.

        The signal handlers go in before the server starts, so a Ctrl-C that comes at any moment
        (even while it starts) is forwarded to the server, which is then waited for (and killed
        if it has not exited within 10 s); run() then returns normally. If the server stops on
        its own, EndpointError says why. While serving, the store directory's time stamp is
        refreshed now and then, so the cache cleaner (which removes old unreferenced stores)
        leaves it alone.
        """
        received: list[int] = []

        def record(signum: int, _frame: object) -> None:
            received.append(signum)

        old = {s: signal.signal(s, record) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            proc = self.process
            assert proc is not None
            if on_ready and not received:
                on_ready(self.url)
            last_touch = float("-inf")
            while proc.poll() is None and not received:
                if time.monotonic() - last_touch > keepalive:
                    with contextlib.suppress(OSError):
                        os.utime(self.location)
                    last_touch = time.monotonic()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.5)
            if received:
                self.stop(received[0])
                return
            self.stop()
            raise EndpointError(self._death_message(proc.returncode))
        finally:
            self.stop()
            for s, handler in old.items():
                signal.signal(s, handler)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

