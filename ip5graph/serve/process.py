"""The Oxigraph server as a child process, read-only over the cached store the CLI queries.

Why drive it instead of writing a server: it already speaks the SPARQL 1.1 Protocol over the same
on-disk store. Nothing here prints or exits: the child's messages go to a callback.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ip5graph.errors import UsageError
from ip5graph.serve.client import EndpointError, hostport, one_line

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.kg.inputs import Inputs

OXIGRAPH_ENV = "IP5GRAPH_OXIGRAPH"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
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


def url_for(host: str, port: int) -> str:
    """The base URL a server bound to host:port answers on."""
    return f"http://{hostport(host, port)}"


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
                raise EndpointError(
                    f"port {port} on {host} is already in use; stop the other server or choose another --port"
                ) from None
            raise EndpointError(f"cannot listen on {hostport(host, port)}: {e.strerror or e}") from None


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

    The same store the CLI queries; it is complete once this returns (kg/store.py publishes it
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

    def __init__(
        self,
        location: Path,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        read_only: bool = True,
        timeout_s: float | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
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
        cmd = [
            oxigraph_executable(),
            "serve-read-only" if self.read_only else "serve",
            "--location",
            str(self.location),
            "--bind",
            hostport(self.host, self.port),
        ]
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
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_child_setup if os.name == "posix" else None,
            )
        except OSError as e:
            raise EndpointError(
                f"cannot start the Oxigraph server ({e.filename or 'oxigraph'}): {e.strerror or e}"
            ) from None
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
            return f"port {self.port} on {self.host} is already in use; stop the other server or choose another --port"
        return f"the Oxigraph server stopped at once: {one_line(last)}"

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
