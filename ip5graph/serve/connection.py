"""One client connection of the serve front: requests read by httptools, answered in order.

Why apart from serve.front: the front owns the listener, the limits and the exchanges with
Oxigraph; this is HTTP/1.1 towards one client: the bounds on what it may send (head, body,
requests read ahead), pipelining in order, flow control for a client that reads slowly, and the
idle timeout. The query itself is answered by `Front.forward`.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import struct
import urllib.parse

import httptools

from ip5graph.errors import QueryError, UnsafeQueryError
from ip5graph.query import safety
from ip5graph.serve.protocol import Refused, checked, query_of
from ip5graph.serve.upstream import Answer, UpstreamError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.serve.front import Front

_FORWARD_HEADERS = (b"accept",)
_MAX_HEAD = 64 << 10  # request line and header fields, before the body
_MAX_FIELDS = 100  # header fields per request (as http.client)
_MAX_PIPELINE = 16  # requests read ahead of their answers on one connection

try:  # the bytes a socket has not yet sent (Linux; elsewhere only the transport's own buffer is seen)
    import fcntl
    import termios

    _OUTQ: int | None = termios.TIOCOUTQ
except (ImportError, AttributeError):  # pragma: no cover
    _OUTQ = None


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


class Connection(asyncio.Protocol):
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
            self._write(503, b"too many connections; retry later\n", keep_alive=False)
            transport.close()  # at once, no lingering: its file is needed for the clients being served
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
            except Exception as e:  # a bug: one line on stderr (the loop's handler) and a 500, not a hung client
                self.loop.call_exception_handler({"message": "error answering a request", "exception": e})
                self._error(500, "internal error of the ip5graph front", request)
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
        pending = self._unsent()
        stalled = pending > 0 and pending == self.pending
        self.pending = pending
        if stalled and transport is not None:
            self.closing = True
            transport.abort()
        return stalled

    def _unsent(self) -> int:
        """Answer bytes the client has not taken: the transport's buffer and the socket's queue.
        Why both: the transport's buffer moves only once a third of the kernel's (up to 4 MB) is
        free, so a client reading slowly but steadily would look stalled."""
        transport = self.transport
        if transport is None:
            return 0
        unsent = transport.get_write_buffer_size()
        sock = transport.get_extra_info("socket")
        if unsent and sock is not None and _OUTQ is not None:
            with contextlib.suppress(OSError, ValueError):
                unsent += struct.unpack("i", fcntl.ioctl(sock.fileno(), _OUTQ, b"\0\0\0\0"))[0]
        return unsent

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
            self._linger()

    def _linger(self) -> None:
        """End the connection after this answer: send it and our end of the stream, then drop what
        the client still sends until it closes (or reads nothing for the idle timeout).

        Why not close at once: closing a socket with unread input makes the kernel send a reset,
        which can destroy the answer before the client reads it (a 413 for a body still coming)."""
        transport = self.transport
        if transport is None or not transport.can_write_eof():
            if transport is not None:
                transport.close()
            return
        try:
            transport.write_eof()
        except OSError:  # the client is gone already (reset): nothing to linger for
            transport.abort()
            return

        def look() -> None:
            if transport.is_closing():
                return
            if self._unsent() and not self._stalled():
                self.loop.call_later(self.front.limits.idle_timeout, look)
            else:
                transport.close()

        self.loop.call_later(self.front.limits.idle_timeout, look)

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
