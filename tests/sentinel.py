"""Leak detectors for the safety tests: a loopback HTTP server and a file that record every touch.

The HTTP sentinel answers every request with a SPARQL result and a Turtle body holding LEAK, so a
request that got through shows twice: in its log and in the answer. The file sentinel is watched
with Linux inotify (through ctypes, no strace): any open or read of it is an event, whoever does it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import http.server
import os
import struct
import threading
from pathlib import Path

import pytest

LEAK = "LEAK-d41d8cd9"
_BODY = {
    "json": (
        '{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"' + LEAK + '"}}]}}',
        "application/sparql-results+json",
    ),
    "ttl": (f'<http://leak.example/s> <http://leak.example/p> "{LEAK}" .\n', "text/turtle"),
}


class HttpSentinel:
    """A threaded loopback server; `requests` lists (method, path) of everything it received."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        sentinel = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                sentinel.requests.append((self.command, self.path))
                kind = "ttl" if "ttl" in self.path or "turtle" in (self.headers.get("Accept") or "") else "json"
                body, ctype = _BODY[kind]
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


_IN_ACCESS = 0x001
_IN_OPEN = 0x020


class FileSentinel:
    """A Turtle file under tmp whose every open or read is counted (inotify); `opens()` drains them."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "sentinel-secret.ttl"
        self.path.write_text(_BODY["ttl"][0], encoding="utf-8")
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if libc.inotify_add_watch(self.fd, str(self.path).encode(), _IN_ACCESS | _IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")
        self.events = 0

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    def opens(self) -> int:
        """How many opens and reads of the file happened so far."""
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return self.events
            off = 0
            while off + 16 <= len(data):
                _wd, _mask, _cookie, size = struct.unpack_from("iIII", data, off)
                self.events += 1
                off += 16 + size

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture(scope="module", name="sentinels")
def sentinels_fixture(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Both sentinels for one test module (import this fixture where it is used)."""
    http = HttpSentinel()
    files = FileSentinel(tmp_path_factory.mktemp("sentinel"))
    yield http, files
    http.close()
    files.close()
