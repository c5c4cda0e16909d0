"""The Oxigraph server as a child process, read-only over the cached store the CLI queries.

Why drive it instead of writing a server: it already speaks the SPARQL 1.1 Protocol over the same
on-disk store. Nothing here prints or exits: the child's messages go to a callback.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import queue
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
    from ip5graph.serve.front import Front, Limits

OXIGRAPH_ENV = "IP5GRAPH_OXIGRAPH"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
CHILD_NICE = 5  # the Oxigraph child runs this much nicer than the front (see child_setup)
MAX_OLD_CHILDREN = 3  # replaced children still answering their last queries (see Server)
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


def child_setup() -> None:
    """In the child, before exec: default SIGINT/SIGTERM, a lower priority, and on Linux die with ip5graph.

    The priority (CHILD_NICE): the front's work per request is small and waits on the CPU twice
    per request; behind fifty busy Oxigraph threads of equal priority that wait was most of the
    front's cost under load (benchmarks/load_serve.py). Oxigraph still gets every idle cycle.

    A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored
    across exec: the server would then shrug off the Ctrl-C ip5graph forwards to it.
    PR_SET_PDEATHSIG makes Linux SIGTERM the server if ip5graph dies, even by SIGKILL.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        os.nice(CHILD_NICE)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def accepts(host: str, port: int, within: float = 1.0) -> bool:
    """Whether a server accepts connections on host:port (waiting up to `within` seconds)."""
    deadline = time.monotonic() + within
    while True:
        try:
            with socket.create_connection((host, port), timeout=max(0.05, min(1.0, within))):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """An `oxigraph serve-read-only` child process over a store directory, behind serve.front.

    Read-only is the point: the server answers SPARQL queries and refuses updates and Graph
    Store writes (HTTP 403), and several readers may share the cached store. Read-only, the
    child listens on a private loopback port and the front (which checks every query, see
    serve.front) on the public address; writable (for tests of push) the child is public.
    When the front reports a runaway query (abandoned, still computing), a fresh child takes
    the new queries and the old one is ended once its other queries are answered.
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
        limits: Limits | None = None,
    ) -> None:
        self.location = Path(location)
        self.front: Front | None = None
        self.limits = limits
        self.child_port = port
        self.host = host
        self.port = port
        self.read_only = read_only
        self.timeout_s = timeout_s
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None  # the child taking new queries
        self.replaced = 0  # children ended because of a runaway query
        self._children: list[subprocess.Popen[bytes]] = []
        self._lines: list[str] = []
        self._listening = threading.Event()
        self._readers: list[threading.Thread] = []
        self._requests: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self._replacer: threading.Thread | None = None

    @property
    def url(self) -> str:
        return url_for(self.host, self.port)

    def command(self, child_port: int | None = None) -> list[str]:
        cmd = [
            oxigraph_executable(),
            "serve-read-only" if self.read_only else "serve",
            "--location",
            str(self.location),
            "--bind",
            hostport("127.0.0.1", child_port or self.child_port) if self.read_only else hostport(self.host, self.port),
        ]
        if self.timeout_s and not self.read_only:
            cmd += ["--timeout-s", str(max(1, math.ceil(self.timeout_s)))]
        # read-only, the front enforces the timeout (503) and replaces a child still busy with an
        # abandoned query: Oxigraph 0.5's own --timeout-s keeps a sleeping thread per query for the
        # whole timeout (its issue 1874) and under load exhausts the threads
        return cmd

    def _read_stderr(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            if line.startswith("Listening for requests at"):
                self._listening.set()
                continue
            self._lines = [*self._lines[-19:], line]
            if self.log:
                self.log(line)

    def _spawn(self, child_port: int) -> subprocess.Popen[bytes]:
        try:
            proc = subprocess.Popen(
                self.command(child_port),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=child_setup if os.name == "posix" else None,
            )
        except OSError as e:
            raise EndpointError(
                f"cannot start the Oxigraph server ({e.filename or 'oxigraph'}): {e.strerror or e}"
            ) from None
        self._children.append(proc)
        reader = threading.Thread(target=self._read_stderr, args=(proc,), name="oxigraph-stderr", daemon=True)
        reader.start()
        self._readers.append(reader)
        return proc

    def start(self, ready_timeout: float = 60.0) -> str:
        """Start the server and wait until it answers; returns its URL.

        The port is tried first, so a taken port gives a clear message; if the server still
        dies early (for instance a race for the port), its own last message is reported.
        """
        if not self.location.is_dir():
            raise EndpointError(f"{self.location}: no store there")
        check_port_free(self.host, self.port)
        if self.read_only:
            try:
                import httptools  # noqa: F401  (the front's parser; a missing one is said before anything starts)
            except ImportError:
                raise EndpointError("the server's front needs httptools: pip install 'ip5graph[serve]'") from None
            self.child_port = _free_loopback_port()
        self.process = self._spawn(self.child_port)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                for reader in self._readers:
                    reader.join(timeout=2)
                raise EndpointError(self._death_message(code))
            if self._listening.is_set() and self._answers(self.child_port):
                if self.read_only:
                    self._start_front()
                return self.url
            time.sleep(0.05)
        self.stop()
        raise EndpointError(f"the Oxigraph server did not answer on {self.url} within {ready_timeout:g} s")

    def _death_message(self, code: int, at_once: bool = True) -> str:
        status = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        last = self._lines[-1] if self._lines else status
        if "address already in use" in last.lower() or "os error 98" in last.lower():
            return f"port {self.port} on {self.host} is already in use; stop the other server or choose another --port"
        return f"the Oxigraph server stopped {'at once' if at_once else 'unexpectedly'}: {one_line(last)}"

    def _start_front(self) -> None:
        from ip5graph.serve.front import Front, Limits

        limits = self.limits or Limits(timeout=self.timeout_s or Limits().timeout)
        try:
            self.front = Front(
                self.host, self.port, ("127.0.0.1", self.child_port), limits, on_runaway=self.replace_child
            )
        except OSError as e:
            self.stop()
            raise EndpointError(f"cannot listen on {hostport(self.host, self.port)}: {e.strerror or e}") from None
        # children are started from this one long-lived thread: Linux sends PR_SET_PDEATHSIG when
        # the thread that started a child ends, not the process
        self._replacer = threading.Thread(target=self._replace_children, name="oxigraph-replacer", daemon=True)
        self._replacer.start()
        self.front.start()

    def replace_child(self, _pool: object = None) -> None:
        """From any thread: start a fresh child for new queries (the front calls this on a runaway)."""
        self._requests.put(True)

    @property
    def children(self) -> list[subprocess.Popen[bytes]]:
        """The Oxigraph processes started and not yet ended: the current one and replaced ones still answering."""
        return list(self._children)

    def _replace_children(self) -> None:
        """Serve the front's requests for a fresh child until stop() sends None."""
        while self._requests.get() is not None:
            front = self.front
            if front is None:
                return
            # children still finishing older queries: past the cap the oldest is ended at once (its
            # queries get 502), so a stream of runaway queries cannot pile up processes
            old_children = [c for c in self._children if c is not self.process]
            for child in old_children[: max(0, len(old_children) - MAX_OLD_CHILDREN + 1)]:
                self._end(child, signal.SIGKILL)
            port = _free_loopback_port()
            try:
                proc = self._spawn(port)
            except EndpointError as e:
                if self.log:
                    self.log(f"ip5graph: could not start a fresh Oxigraph server: {e}")
                continue
            deadline = time.monotonic() + 30
            while proc.poll() is None and not self._answers(port) and time.monotonic() < deadline:
                if self.front is not front:  # stop() was called
                    break
                time.sleep(0.01)
            if proc.poll() is not None or self.front is not front or not self._answers(port):
                self._end(proc)
                continue
            old, self.process, self.child_port = self.process, proc, port
            self.replaced += 1
            if self.log:
                self.log("ip5graph: an abandoned query was still running; a fresh Oxigraph server takes new queries")
            front.replace_upstream(("127.0.0.1", port), lambda old=old: self._end(old))  # type: ignore[misc]

    def _end(self, proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(ValueError):  # ended from two threads at once
            self._children.remove(proc)

    def _answers(self, port: int | None = None) -> bool:
        return accepts("127.0.0.1" if self.read_only else self.host.strip("[]"), port or self.port)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Stop the server (signal, wait, then kill if it hangs); returns its exit code."""
        proc = self.process
        if proc is None:
            return None
        if self.front is not None:
            self.front.stop()
            self.front = None
        if self._replacer is not None:
            self._requests.put(None)
            self._replacer.join(timeout=35)
            self._replacer = None
        for child in [c for c in self._children if c is not proc]:
            self._end(child, signal.SIGKILL)
        self._end(proc, sig, timeout)
        for reader in self._readers:
            reader.join(timeout=2)
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
            if on_ready and not received:
                on_ready(self.url)
            last_touch = float("-inf")
            while not received:
                proc = self.process  # a replaced child is ended on purpose; the current one must live
                assert proc is not None
                if proc.poll() is not None and proc is self.process:
                    break
                if time.monotonic() - last_touch > keepalive:
                    with contextlib.suppress(OSError):
                        os.utime(self.location)
                    last_touch = time.monotonic()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.5)
            if received:
                self.stop(received[0])
                return
            code = self.stop()
            raise EndpointError(self._death_message(code if code is not None else 1, at_once=False))
        finally:
            self.stop()
            for s, handler in old.items():
                signal.signal(s, handler)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
