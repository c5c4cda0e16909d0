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
import sys
import threading
from collections.abc import Callable

from ip5graph.query import limits as query_limits
from ip5graph.serve.connection import Connection
from ip5graph.serve.protocol import Refused
from ip5graph.serve.upstream import Answer, Exchange, Pool, TooLarge, request_bytes

# defaults (documented in the README); the CLI can change them
DEFAULT_TIMEOUT = query_limits.SERVE_TIMEOUT
DEFAULT_MAX_RESULT_BYTES = 64 << 20
IDLE_TIMEOUT = 10.0
MAX_CONNECTIONS = 1024
# an abandoned query may still finish on its own this long before its child is replaced
RUNAWAY_GRACE = 1.0
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
        self.clients: set[Connection] = set()
        self.pools = [self.pool]  # the current one and retired ones still draining
        self.loop = asyncio.new_event_loop()
        self.loop.set_exception_handler(_one_line)
        try:
            self.server = self.loop.run_until_complete(
                self.loop.create_server(
                    lambda: Connection(self), host.strip("[]"), port, backlog=1024, reuse_address=True
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
