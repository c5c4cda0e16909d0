"""A throwaway Virtuoso 7.2 (Debian's virtuoso-opensource) for the interoperability tests.

Why a helper of our own: Debian's package starts nothing (and its default ini listens on all
interfaces on ports 1111/8890). Here each run gets its own database in a temporary folder, its
own virtuoso.ini with free ports bound to 127.0.0.1 only, and a process that is stopped (SIGTERM,
then SIGKILL) when the tests end, even when they fail; on Linux the server also dies with the
test process (PR_SET_PDEATHSIG).

What Virtuoso 7.2.5 does that the tests rely on (checked by tests/test_virtuoso.py):
- /sparql answers GET and form-encoded POST; a POST with Content-Type application/sparql-query
  never gets an answer (Virtuoso issue 842, fixed in 7.2.6).
- /sparql-graph-crud-auth takes Graph Store writes with HTTP Digest login (no Basic), for a user
  with the SPARQL_UPDATE role; the anonymous /sparql-graph-crud refuses writes (403) unless the
  SPARQL user is granted that role, which is not done here.
- The default graph of a query is the union of all graphs.
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
import time
import urllib.error
import urllib.request
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"  # Debian's name for Virtuoso's isql (unixODBC has its own isql)

INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{isql_port}
DisableUnixSocket    = 1
MaxClientConnections = 4
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}/vsp
MaxClientConnections = 4
ServerThreads        = 4
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


def installed() -> bool:
    """True when Debian's virtuoso-opensource (virtuoso-t and isql-vt) is installed."""
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Virtuoso:
    """One Virtuoso server over a fresh database in `directory`; use as a context manager."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.isql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """Anonymous SPARQL endpoint (read-only here)."""
        return self.base + "/sparql"

    @property
    def sparql_auth(self) -> str:
        """SPARQL endpoint behind Digest login."""
        return self.base + "/sparql-auth"

    @property
    def store_auth(self) -> str:
        """Graph Store Protocol endpoint behind Digest login."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def store_anonymous(self) -> str:
        return self.base + "/sparql-graph-crud"

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n".join((self.directory / "virtuoso.log").read_text("utf-8", "replace").splitlines()[-lines:])
        return ""

    def start(self, timeout: float = 120.0) -> Virtuoso:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "vsp").mkdir(exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(INI.format(d=self.directory, isql_port=self.isql_port, http_port=self.http_port))
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.log_tail()}")
            if self._answers():
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer on {self.base} within {timeout:g} s:\n{self.log_tail()}")

    def _answers(self) -> bool:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(self.sparql + "?query=ASK%7B%7D", timeout=2) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def isql(self, *statements: str) -> str:
        """Run SQL statements as dba; raises with Virtuoso's message when one fails."""
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        out = subprocess.run(
            [ISQL, f"127.0.0.1:{self.isql_port}", "dba", "dba"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
        )
        text = out.stdout + out.stderr
        if out.returncode != 0 or "*** Error" in text:
            raise RuntimeError(f"isql failed:\n{text}")
        return text

    def add_writer(self, user: str, password: str) -> None:
        """A SQL user who may write graphs over /sparql-graph-crud-auth and /sparql-auth."""
        self.isql(f"DB.DBA.USER_CREATE('{user}', '{password}')", f'GRANT SPARQL_UPDATE TO "{user}"')

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM (Virtuoso then checkpoints and exits), SIGKILL after `timeout` seconds."""
        proc = self.process
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":  # manual use: python tests/virtuoso_server.py DIR (Ctrl-C stops it)
    with Virtuoso(Path(sys.argv[1] if len(sys.argv) > 1 else "virtuoso-db")) as v:
        v.add_writer("ip5", os.environ.get("IP5GRAPH_PASSWORD", "ip5"))
        print(f"Virtuoso at {v.sparql} (ISQL port {v.isql_port}); Graph Store: {v.store_auth}; Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            v.process.wait()  # type: ignore[union-attr]
