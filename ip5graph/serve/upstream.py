"""Kept-alive connections from the front to one Oxigraph child, and one bounded exchange on them.

Why its own module: the front (serve.front) speaks to clients; this speaks to Oxigraph. Answers
are read whole, with their size bounded while they arrive, so an answer too large or too late
still gets its own status instead of a truncated 200. Connections are reused (HTTP/1.1
keep-alive): a new loopback connection per query cost both processes more than the query itself
(benchmarks/load_serve.py). httptools (llhttp, the parser uvicorn uses) reads the answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httptools

# idle kept-alive connections per child; more are opened under load and closed when returned
POOL_SIZE = 64


class UpstreamError(Exception):
    """The child broke off or gave no HTTP answer."""


class TooLarge(Exception):
    """The answer passed the size limit."""


class Answer:
    """One complete answer of Oxigraph: status, headers (hop-by-hop ones dropped) and body."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


_HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"te", b"trailer", b"upgrade"}


class Exchange(asyncio.Protocol):
    """One connection to the child; reads one answer at a time into a future."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Answer] | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.size = 0
        self.limit = 0
        self.keep = False
        self.closed = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():
            self.close()  # nobody asked: a broken exchange, never reused
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail(UpstreamError("the Oxigraph server gave no valid HTTP answer"))
        if self.size > self.limit:
            self._fail(TooLarge())

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.forget(self)
        self._fail(UpstreamError("the Oxigraph server broke off its answer"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() not in _HOP_BY_HOP:
            self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.size += len(body)
        if self.size <= self.limit:  # past it, data_received fails the exchange
            self.body.append(body)

    def on_message_complete(self) -> None:
        if self.size > self.limit:
            return
        self.keep = self.parser.should_keep_alive()
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(Answer(self.parser.get_status_code(), self.headers, b"".join(self.body)))

    # use
    def send(self, request: bytes, limit: int) -> asyncio.Future[Answer]:
        assert self.transport is not None
        self.parser = httptools.HttpResponseParser(self)
        self.headers, self.body, self.size, self.limit, self.keep = [], [], 0, limit, False
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter

    def _fail(self, error: Exception) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class Pool:
    """Kept-alive connections to one child at (host, port); counts the exchanges in flight."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address
        self.idle: list[Exchange] = []
        self.open: set[Exchange] = set()  # every connection, idle or busy
        self.busy = 0  # exchanges in flight, abandoned ones included
        self.abandoned = 0  # exchanges nobody waits for any more
        self.replacing = False  # the owner was asked for a new child
        self.retired = False  # new exchanges go to another pool
        self.on_idle: Callable[[], object] | None = None  # called once a retired pool has only abandoned work

    def forget(self, conn: Exchange) -> None:
        self.open.discard(conn)
        if conn in self.idle:
            self.idle.remove(conn)

    async def _connection(self) -> Exchange:
        while self.idle:
            conn = self.idle.pop()
            if not conn.closed and conn.transport is not None and not conn.transport.is_closing():
                return conn
        loop = asyncio.get_running_loop()
        try:
            _, conn = await asyncio.wait_for(loop.create_connection(lambda: Exchange(self), *self.address), timeout=5)
        except (OSError, asyncio.TimeoutError):
            raise UpstreamError("the Oxigraph server did not answer") from None
        self.open.add(conn)
        return conn

    async def exchange(self, request: bytes, limit: int) -> tuple[Exchange, asyncio.Future[Answer]]:
        """Send one request; the caller awaits the future, then gives the connection back with `done`."""
        self.busy += 1  # before the connection opens: a pool retired meanwhile must wait for this exchange
        try:
            conn = await self._connection()
        except BaseException:
            self.busy -= 1
            self.check_idle()
            raise
        return conn, conn.send(request, limit)

    def done(self, conn: Exchange, reuse: bool) -> None:
        """The exchange is over: keep the connection for the next one, or close it (an abandoned
        answer may still be coming, so its connection is never reused)."""
        self.busy -= 1
        if reuse and conn.keep and not conn.closed and not self.retired and len(self.idle) < POOL_SIZE:
            self.idle.append(conn)
        else:
            conn.close()
        self.check_idle()

    def check_idle(self) -> None:
        if self.retired and self.on_idle is not None and self.busy <= self.abandoned:
            on_idle, self.on_idle = self.on_idle, None
            on_idle()

    def retire(self, on_idle: Callable[[], object] | None = None) -> None:
        """No new exchanges here; `on_idle` once only abandoned ones are left (maybe at once)."""
        self.retired = True
        self.on_idle = on_idle
        for conn in self.idle:
            conn.close()
        self.idle.clear()
        self.check_idle()

    def close_all(self) -> None:
        """Close every connection, busy ones too (the front stops)."""
        for conn in list(self.open):
            conn.close()


def request_bytes(method: str, target: str, headers: dict[str, str], body: bytes | None) -> bytes:
    """An HTTP/1.1 request to the child (kept alive)."""
    head = [f"{method} {target} HTTP/1.1", "Host: oxigraph"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b"")
