"""The HTTP front of `ip5graph serve`: every query passes the safety check before Oxigraph sees it.

Why a front: `oxigraph serve-read-only` runs SERVICE (it would fetch any URL a client names) and
has no switch to stop that, a deeply nested query overflows its stack, and its timeout answers
200 with truncated JSON. So the Oxigraph child listens on a private loopback port and this small
threaded server, on the public address, forwards only checked queries (the text rebuilt by
query.safety), bounds their size, nesting, time and answer size, and answers errors with a real
status and one line of text. Idle connections time out; writes are refused.
"""

from __future__ import annotations

import http.server
import select
import socket
import threading
import time
import urllib.parse

from ip5graph.errors import QueryError, UnsafeQueryError
from ip5graph.query import limits as query_limits
from ip5graph.query import safety

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

# defaults (documented in the README); the CLI can change them
DEFAULT_TIMEOUT = query_limits.SERVE_TIMEOUT
DEFAULT_MAX_RESULT_BYTES = 64 << 20
IDLE_TIMEOUT = 10.0
MAX_CONNECTIONS = 1024
_FORWARD_HEADERS = ("Accept",)


class Limits:
    """The bounds one front applies to every request."""

    __slots__ = ("timeout", "max_result_bytes", "idle_timeout", "max_connections")

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.timeout = timeout
        self.max_result_bytes = max_result_bytes
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Front:
    """A threaded HTTP server on (host, port) in front of an Oxigraph server on upstream."""

    def __init__(self, host: str, port: int, upstream: tuple[str, int], limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.upstream = upstream
        self._slots = threading.BoundedSemaphore(self.limits.max_connections)
        front = self

        class Handler(_Handler):
            pass

        Handler.front = front
        Handler.timeout = self.limits.idle_timeout
        family = socket.AF_INET6 if ":" in host else socket.AF_INET

        class Server(http.server.ThreadingHTTPServer):
            address_family = family
            daemon_threads = True
            request_queue_size = 1024

            def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
                if not front._slots.acquire(blocking=False):
                    _busy(request)
                    return
                super().process_request(request, client_address)

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that went away mid-answer is not the server's problem: no traceback

            def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
                try:
                    super().process_request_thread(request, client_address)
                finally:
                    front._slots.release()

        self.server = Server((host.strip("[]"), port), Handler)
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, name="ip5graph-front", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _busy(request: socket.socket) -> None:
    try:
        request.sendall(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            b"Content-Length: 35\r\n\r\ntoo many connections; retry later\r\n"
        )
    except OSError:
        pass
    request.close()


def query_of(method: str, path: str, headers: Message, body: bytes) -> str | None:
    """The SPARQL query text of a SPARQL-protocol request, or None when it is not a query request."""
    url = urllib.parse.urlsplit(path)
    if url.path.rstrip("/") != "/query":
        return None
    params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if method == "POST" and ctype == "application/sparql-query":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(400, "the query is not UTF-8") from None
    if method == "POST" and ctype == "application/x-www-form-urlencoded":
        try:
            params.update(urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True, errors="strict"))
        except (UnicodeDecodeError, ValueError):
            raise _Refused(400, "the form is not URL-encoded UTF-8") from None
    elif method == "POST":
        raise _Refused(415, "POST a query as application/sparql-query or a form")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in params:
            raise _Refused(400, f"{name} is not accepted: this server answers over its loaded graph only")
    queries = params.get("query") or []
    if len(queries) != 1:
        raise _Refused(400, "give exactly one query parameter")
    return queries[0]


_CHECKED: dict[str, bytes] = {}
_CHECKED_MAX = 4096


def _checked(text: str) -> bytes:
    """safety.check's text for this query, remembered: servers see the same queries again and again."""
    found = _CHECKED.get(text)
    if found is None:
        found = safety.check(text, "query").text.encode("utf-8")  # raises for refused queries: not cached
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[text] = found
    return found


class _Handler(http.server.BaseHTTPRequestHandler):
    front: Front
    protocol_version = "HTTP/1.1"
    server_version = "ip5graph"

    def log_message(self, *args: object) -> None:
        pass

    def _reply(
        self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8", extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self.close_connection = status >= 500 or status == 413
        self._reply(status, (" ".join(message.split()) + "\n").encode("utf-8"))

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send a Content-Length")
        if not length:
            return b""
        if not length.isdigit():
            raise _Refused(400, "bad Content-Length")
        if int(length) > safety.MAX_QUERY_CHARS * 4:
            raise _Refused(413, f"request too large (the limit is {safety.MAX_QUERY_CHARS} characters)")
        return self.rfile.read(int(length))

    def _handle(self) -> None:
        try:
            body = self._body()
            if self.command not in ("GET", "HEAD", "POST"):
                raise _Refused(403, "this server is read-only")
            path = urllib.parse.urlsplit(self.path).path.rstrip("/")
            if path in ("/update", "") and self.command == "POST" or path == "/store" and self.command != "GET":
                raise _Refused(403, "this server is read-only")
            text = query_of(self.command, self.path, self.headers, body)
            if text is not None:
                checked = safety.check(text, "query")
                self._forward(
                    "POST",
                    "/query",
                    checked.text.encode("utf-8"),
                    {"Content-Type": "application/sparql-query; charset=utf-8"},
                )
            else:
                self._forward(self.command, self.path, None, {})
        except _Refused as e:
            self._error(e.status, str(e))
        except UnsafeQueryError as e:
            self._error(403, str(e))
        except QueryError as e:
            self._error(400, str(e))

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _handle

    def _client_gone(self) -> bool:
        """Whether the client hung up (an abandoned query is then stopped, not finished)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _timed_out(self) -> _Refused:
        return _Refused(503, f"query timed out after {self.front.limits.timeout:g} s (serve --timeout)")

    def _forward(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> None:
        """Relay the request to Oxigraph and its answer, byte for byte, once it is complete.

        One connection per request (Connection: close), so the answer ends where the stream ends
        and is relayed without being parsed; nothing is sent before it is complete, so a timeout or
        an answer too large still gets its own status. Closing the connection (at the deadline, or
        when the client leaves) makes Oxigraph stop writing; its own --timeout-s stops the rest.
        """
        limits = self.front.limits
        deadline = time.monotonic() + limits.timeout
        for name in _FORWARD_HEADERS:
            if self.headers.get(name):
                headers[name] = self.headers[name]
        head = [f"{method} {path} HTTP/1.1", "Host: oxigraph", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            head.append(f"Content-Length: {len(body)}")
        try:
            upstream = socket.create_connection(self.front.upstream, timeout=5)
        except OSError:
            raise _Refused(502, "the Oxigraph server did not answer") from None
        try:
            upstream.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b""))
            self._wait_upstream(upstream, deadline)
            data = bytearray()
            cap = limits.max_result_bytes + (1 << 16)  # the answer's headers on top
            while True:
                upstream.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = upstream.recv(1 << 18)
                if not chunk:
                    break
                data += chunk
                if len(data) > cap:
                    raise _Refused(
                        507, f"the answer is larger than {limits.max_result_bytes} bytes (serve --max-result-bytes)"
                    )
        except TimeoutError:
            raise self._timed_out() from None
        except OSError:
            raise _Refused(502, "the Oxigraph server broke off its answer") from None
        finally:
            upstream.close()
        if not data.startswith(b"HTTP/"):
            raise _Refused(502, "the Oxigraph server gave no answer")
        self.close_connection = True  # the relayed answer says Connection: close
        if self.command != "HEAD":
            self.wfile.write(data)
        else:
            self.wfile.write(bytes(data).split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n")

    def _wait_upstream(self, upstream: socket.socket, deadline: float) -> None:
        """Wait until Oxigraph starts answering; give up at the deadline or when the client leaves."""
        watch_client = True
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._timed_out()
            socks = [upstream, self.connection] if watch_client else [upstream]
            readable, _, _ = select.select(socks, [], [], min(left, 0.5))
            if upstream in readable:
                return
            if self.connection in readable:
                if self._client_gone():
                    raise _Refused(499, "client closed the connection")
                watch_client = False  # a pipelined request waits its turn
