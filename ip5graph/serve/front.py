"""The HTTP front of `ip5graph serve`: every query passes the safety check before Oxigraph sees it.

Why a front: `oxigraph serve-read-only` runs SERVICE (it would fetch any URL a client names) and
has no switch to stop that, a deeply nested query overflows its stack, and its timeout answers
200 with truncated JSON. So the Oxigraph child listens on a private loopback port and this
server, on the public address, forwards only checked queries (the text rebuilt by query.safety),
bounds their size, nesting, time and answer size, and answers errors with a real status and one
line of text. Idle connections time out; writes are refused.

Why asyncio and httptools rather than http.server: a thread and a header parse in pure Python per
request made the front cost half as much CPU as Oxigraph's own work on our queries, which showed
as a 1.9x p50 under load (benchmarks/load_serve.py); one event loop, llhttp's parser and kept-alive
connections to the child cost a fraction of that.

A query that is abandoned (its client left, or its time ran out) while Oxigraph still computes
it cannot be stopped inside Oxigraph (its server has no cancellation for that; its own
--timeout-s keeps a thread per query, issue 1874). `on_runaway` then lets the owner (serve.process)
start a fresh child for new queries and end the old one once its other queries are answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import sys
import threading
import urllib.parse
from collections.abc import Callable

import httptools

from ip5graph.errors import QueryError, UnsafeQueryError
from ip5graph.query import limits as query_limits
from ip5graph.query import safety
from ip5graph.serve.protocol import Refused, checked, query_of
from ip5graph.serve.upstream import Answer, Exchange, Pool, TooLarge, UpstreamError, request_bytes

# defaults (documented in the README); the CLI can change them
DEFAULT_TIMEOUT = query_limits.SERVE_TIMEOUT
DEFAULT_MAX_RESULT_BYTES = 64 << 20
IDLE_TIMEOUT = 10.0
MAX_CONNECTIONS = 1024
# an abandoned query may still finish on its own this long before its child is replaced
RUNAWAY_GRACE = 1.0
_FORWARD_HEADERS = (b"accept",)
_MAX_HEAD = 64 << 10  # request line and header fields, before the body
_MAX_FIELDS = 100  # header fields per request (as http.client)
_MAX_PIPELINE = 16  # requests read ahead of their answers on one connection
_SPARE_FILES = 64  # open files besides the clients' connections and Oxigraph's (store, pipes, the listener)


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


class Front:
    """An asyncio HTTP server on (host, port), in its own thread, before an Oxigraph server on upstream.

    `on_runaway(pool)` is called (in the front's thread) when a query on that child was abandoned
    and is still running after RUNAWAY_GRACE; the owner answers with `replace_upstream`.
    """

    def __init__(
        self,
        host: str,
        port: int,
        upstream: tuple[str, int],
        limits: Limits | None = None,
        on_runaway: Callable[[Pool], None] | None = None,
    ) -> None:
        self.limits = limits or Limits()
        _enough_files(self.limits)
        self.pool = Pool(upstream)
        self.on_runaway = on_runaway
        self.clients: set[_Connection] = set()
        self.pools = [self.pool]  # the current one and retired ones still draining
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(_one_line)
        try:
            self.server = self.loop.run_until_complete(
                self.loop.create_server(
                    lambda: _Connection(self), host.strip("[]"), port, backlog=1024, reuse_address=True
                )
            )
        except BaseException:
            self.loop.close()
            raise
        self.port: int = self.server.sockets[0].getsockname()[1]
        self._thread: threading.Thread | None = None

    @property
    def upstream(self) -> tuple[str, int]:
        return self.pool.address

    def start(self) -> None:
        self._thread = threading.Thread(target=self.loop.run_forever, name="ip5graph-front", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening, answer requests in flight with 503, and end every task and connection.

        Why so thorough: a task or transport left pending when the loop closes prints a traceback
        (\"Task was destroyed but it is pending\", \"Event loop is closed\") on the way out."""
        if self.loop.is_closed():
            return

        async def close() -> None:
            self.server.close()
            workers = [c.worker for c in self.clients if c.worker is not None]
            for client in list(self.clients):
                client.shut_down()
            await asyncio.gather(*workers, return_exceptions=True)
            for pool in self.pools:
                pool.retire()
                pool.close_all()
            for _ in range(3):  # connection_lost of the closed transports, then the answers' callbacks
                await asyncio.sleep(0)
            await self.loop.shutdown_default_executor()

        if self._thread is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
        else:
            self.loop.run_until_complete(close())
        self.loop.close()

    def replace_upstream(self, address: tuple[str, int], retire: Callable[[], None]) -> None:
        """From any thread: send new queries to the child at address; call `retire` (in a worker
        thread) once the old child has no query in flight but abandoned ones."""

        def switch() -> None:
            old, self.pool = self.pool, Pool(address)
            self.pools.append(self.pool)

            def drained() -> None:
                self.pools.remove(old)
                self.loop.run_in_executor(None, retire)

            old.retire(drained)

        self.loop.call_soon_threadsafe(switch)

    async def forward(
        self, method: str, target: str, headers: dict[str, str], body: bytes | None, gone: asyncio.Future[None]
    ) -> Answer:
        """The child's whole answer; Refused at the deadline, past the size limit, or when the client left."""
        limits = self.limits
        pool = self.pool
        conn, answer = await pool.exchange(request_bytes(method, target, headers, body), limits.max_result_bytes)
        try:
            done, _ = await asyncio.wait((answer, gone), timeout=limits.timeout, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            self._abandon(pool, conn, answer)
            raise
        if answer in done:
            error = answer.exception()
            pool.done(conn, reuse=error is None)
            if error is None:
                return answer.result()
            if isinstance(error, TooLarge):
                raise Refused(
                    507, f"the answer is larger than {limits.max_result_bytes} bytes (serve --max-result-bytes)"
                )
            raise Refused(502, str(error))
        self._abandon(pool, conn, answer)
        if gone.done():
            raise Refused(499, "client closed the connection")
        raise Refused(503, f"query timed out after {limits.timeout:g} s (serve --timeout)")

    def _abandon(self, pool: Pool, conn: Exchange, answer: asyncio.Future[Answer]) -> None:
        """Nobody waits for this answer any more. Oxigraph may finish it within RUNAWAY_GRACE (its
        connection is then closed, never reused); if not, it is a runaway: the connection is
        closed (a streaming answer stops at Oxigraph's next write) and the owner is asked for a
        fresh child, since a query that only computes would otherwise run to its end."""
        pool.abandoned += 1

        def settle(_: object = None) -> None:
            timer.cancel()
            if not answer.cancelled():
                answer.exception()  # retrieved: no "never retrieved" warning
            pool.abandoned -= 1
            pool.done(conn, reuse=False)

        def runaway() -> None:
            if answer.done():
                return
            if self.on_runaway is not None and not pool.retired and not pool.replacing:
                pool.replacing = True
                self.on_runaway(pool)
            conn.close()  # the answer then fails, and settle() runs

        timer = self.loop.call_later(RUNAWAY_GRACE, runaway)
        answer.add_done_callback(settle)


def _enough_files(limits: Limits) -> None:
    """Raise this process's open-file limit so that every allowed client (and its connection to
    Oxigraph) fits; where the hard limit is lower, allow fewer clients instead.

    Why: with the common soft limit of 1024, accept() failed (EMFILE) before the connection limit
    answered 503, asyncio printed a traceback per attempt and new clients waited."""
    try:
        import resource
    except ImportError:  # pragma: no cover (Windows)
        return
    need = 2 * limits.max_connections + _SPARE_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        wanted = need if hard == resource.RLIM_INFINITY else min(need, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < need:
        limits.max_connections = max(1, (soft - _SPARE_FILES) // 2)


def _one_line(loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
    """asyncio's own reports (an accept that failed, a callback that raised) as one line, never a traceback."""
    error = context.get("exception")
    text = str(context.get("message") or "error") + (f": {error}" if error else "")
    sys.stderr.write(f"ip5graph: serve: {' '.join(text.split())}\n")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Client Closed Request" if status == 499 else ""


class _Request:
    __slots__ = ("method", "target", "headers", "fields", "head", "body", "keep_alive", "refused")

    def __init__(self) -> None:
        self.method = ""
        self.target = ""
        self.headers: dict[bytes, bytes] = {}
        self.fields = 0
        self.head = 0
        self.body: list[bytes] = []
        self.keep_alive = True
        self.refused: Refused | None = None  # a request that could not be read: its answer


class _Connection(asyncio.Protocol):
    """One client connection: requests parsed by httptools, answered one after the other."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.loop = front.loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.current = _Request()
        self.queue: list[_Request] = []
        self.size = 0  # bytes of the request being read
        self.in_head = True  # its request line and header fields are not all read yet
        self.worker: asyncio.Task[None] | None = None
        self.gone: asyncio.Future[None] = self.loop.create_future()
        self.idle: asyncio.TimerHandle | None = None
        self.closing = False
        self.broken = False  # the parser failed: nothing more is read
        self.drained: asyncio.Future[None] | None = None  # while the client reads slower than it asks
        self.pending = 0  # bytes of answers not yet taken by the client, at the last look

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        front = self.front
        front.clients.add(self)
        if len(front.clients) > front.limits.max_connections:
            self.closing = True
            self._write(503, b"too many connections; retry later\n", keep_alive=False)
            return
        self._arm_idle()

    def data_received(self, data: bytes) -> None:
        if self.closing or self.broken:
            return
        self.size += len(data)
        try:
            if self.size > _MAX_HEAD + safety.MAX_QUERY_CHARS * 4:
                raise Refused(413, f"request too large (the limit is {safety.MAX_QUERY_CHARS} characters)")
            self.parser.feed_data(data)
            if self.in_head and self.size > _MAX_HEAD:
                raise Refused(431, f"request header fields too large (the limit is {_MAX_HEAD} bytes)")
        except Refused as e:
            self._fail(e.status, str(e))
        except httptools.HttpParserUpgrade:
            # CONNECT or Upgrade: the request itself is read (and answered as an ordinary one, the
            # upgrade ignored); what follows it would be another protocol, so the connection ends
            self.broken = True
            if self.queue:
                self.queue[-1].keep_alive = False
            else:
                self._fail(400, "protocol upgrades are not supported")
        except httptools.HttpParserError as e:
            # a Refused raised in a parser callback comes back wrapped in HttpParserCallbackError
            cause = e.__context__
            if isinstance(cause, Refused):
                self._fail(cause.status, str(cause))
            else:
                self._fail(400, "not a valid HTTP request")

    def eof_received(self) -> bool:
        self._lost()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.front.clients.discard(self)
        self._lost()
        self.resume_writing()

    def pause_writing(self) -> None:
        self.drained = self.loop.create_future()

    def resume_writing(self) -> None:
        if self.drained is not None and not self.drained.done():
            self.drained.set_result(None)
        self.drained = None

    def shut_down(self) -> None:
        """The front stops: a request in flight gets 503, the connection closes."""
        if self.worker is not None:
            self.worker.cancel()
            self._error(503, "the server is stopping")
        self._lost()
        if self.transport is not None:
            self.transport.close()

    def _lost(self) -> None:
        self.closing = True
        if not self.gone.done():
            self.gone.set_result(None)
        if self.idle is not None:
            self.idle.cancel()

    # httptools callbacks
    def on_url(self, url: bytes) -> None:
        self.current.target += url.decode("latin-1")
        self._head(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self.current.fields += 1
        if self.current.fields > _MAX_FIELDS:
            raise Refused(431, f"too many header fields (the limit is {_MAX_FIELDS})")
        self._head(len(name) + len(value))
        self.current.headers[name.lower()] = value

    def _head(self, size: int) -> None:
        """Count the head (a whole head can come in one read, so data_received alone does not see it)."""
        self.current.head += size
        if self.current.head > _MAX_HEAD:
            raise Refused(431, f"request header fields too large (the limit is {_MAX_HEAD} bytes)")

    def on_headers_complete(self) -> None:
        self.in_head = False
        length = self.current.headers.get(b"content-length", b"0")
        if length.isdigit() and int(length) > safety.MAX_QUERY_CHARS * 4:
            raise Refused(413, f"request too large (the limit is {safety.MAX_QUERY_CHARS} characters)")
        self.current.method = self.parser.get_method().decode("latin-1")
        self.current.keep_alive = self.parser.should_keep_alive()
        if self.current.headers.get(b"expect", b"").lower() == b"100-continue" and self.transport is not None:
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # curl waits a second for it before a large POST

    def on_body(self, body: bytes) -> None:
        self.current.body.append(body)

    def on_message_complete(self) -> None:
        self.queue.append(self.current)
        if len(self.queue) >= _MAX_PIPELINE and self.transport is not None:
            self.transport.pause_reading()  # resumed as the worker takes them
        self.current = _Request()
        self.size = 0
        self.in_head = True
        if self.idle is not None:
            self.idle.cancel()
            self.idle = None
        if self.worker is None:
            self.worker = self.loop.create_task(self._work())

    # answering
    async def _work(self) -> None:
        while self.queue and not self.closing:
            request = self.queue.pop(0)
            if len(self.queue) == _MAX_PIPELINE - 1 and self.transport is not None and not self.broken:
                self.transport.resume_reading()
            if self.drained is not None and not await self._drain():
                break
            try:
                answer = await self._answer(request)
            except Refused as e:
                if e.status == 499:
                    break
                self._error(e.status, str(e), request)
                continue
            keep = request.keep_alive and not self.closing
            self._write(answer.status, answer.body, answer.headers, keep, head_only=request.method == "HEAD")
        self.worker = None
        if not self.closing:
            self._arm_idle()

    async def _drain(self) -> bool:
        """Wait until the client has read most of the answers before this one: pipelined answers
        are not piled up in memory for a client that does not read them. A client that reads
        nothing for the idle timeout is dropped."""
        while (drained := self.drained) is not None and not self.closing:
            await asyncio.wait((drained,), timeout=self.front.limits.idle_timeout)
            if self._stalled():
                return False
        return not self.closing

    def _stalled(self) -> bool:
        """True (and the connection dropped) when the client read nothing since the last look."""
        transport = self.transport
        pending = transport.get_write_buffer_size() if transport is not None else 0
        stalled = pending > 0 and pending == self.pending
        self.pending = pending
        if stalled and transport is not None:
            self.closing = True
            transport.abort()
        return stalled

    async def _answer(self, request: _Request) -> Answer:
        if request.refused is not None:
            raise request.refused
        method = request.method
        body = b"".join(request.body)
        if method not in ("GET", "HEAD", "POST"):
            raise Refused(403, "this server is read-only")
        path = urllib.parse.urlsplit(request.target).path.rstrip("/")
        if path in ("/update", "") and method == "POST" or path == "/store" and method != "GET":
            raise Refused(403, "this server is read-only")
        headers = {
            k.decode("latin-1").title(): request.headers[k].decode("latin-1")
            for k in _FORWARD_HEADERS
            if k in request.headers
        }
        try:
            text = query_of(method, request.target, request.headers, body)
            if text is None:  # the query page and its files; HEAD as GET, its body dropped on the way back
                return await self.front.forward("GET", request.target, headers, None, self.gone)
            query = checked(text)
            headers["Content-Type"] = "application/sparql-query; charset=utf-8"
            return await self.front.forward("POST", "/query", headers, query, self.gone)
        except UnsafeQueryError as e:
            raise Refused(403, str(e)) from None
        except QueryError as e:
            raise Refused(400, str(e)) from None
        except UpstreamError as e:
            raise Refused(502, str(e)) from None

    def _error(self, status: int, message: str, request: _Request | None = None) -> None:
        keep = status < 500 and status != 413 and (request is None or request.keep_alive)
        body = (" ".join(message.split()) + "\n").encode("utf-8")
        self._write(
            status,
            body,
            [(b"Content-Type", b"text/plain; charset=utf-8")],
            keep,
            head_only=request is not None and request.method == "HEAD",
        )

    def _fail(self, status: int, message: str) -> None:
        """A request that cannot be read: answer it after the requests before it, then close (the
        parser cannot go on after it)."""
        self.broken = True
        request = _Request()
        request.refused = Refused(status, message)
        request.keep_alive = False
        self.queue.append(request)
        if self.worker is None:
            self.worker = self.loop.create_task(self._work())

    def _write(
        self,
        status: int,
        body: bytes,
        headers: list[tuple[bytes, bytes]] | None = None,
        keep_alive: bool = True,
        head_only: bool = False,
    ) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        lines = [f"HTTP/1.1 {status} {_reason(status)}".encode("latin-1")]
        lines += [k + b": " + v for k, v in headers or [(b"Content-Type", b"text/plain; charset=utf-8")]]
        lines.append(b"Content-Length: %d" % len(body))
        if not keep_alive:
            lines.append(b"Connection: close")
        transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + (b"" if head_only else body))
        if not keep_alive:
            self.closing = True
            transport.close()

    def _arm_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
        self.idle = self.loop.call_later(self.front.limits.idle_timeout, self._idle_out)

    def _idle_out(self) -> None:
        if self.worker is not None or self.transport is None:
            return
        if self.transport.get_write_buffer_size() and not self._stalled():
            self._arm_idle()  # still reading its last answer: look again later
            return
        self.closing = True
        self.transport.close()
