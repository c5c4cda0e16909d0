"""A hard deadline for the Python API: the query runs in a worker process, killed at the deadline.

Why: pyoxigraph cannot cancel a running query (Oxigraph issue 1926), and a query busy inside the
engine (a COUNT over a cross product) yields no row for `Budget.guard` to stop at. Oxigraph's
users run such queries in a process they can kill; so does this module. The worker is a fresh
`python -m ip5graph.query.isolated`, never a fork (the caller holds RocksDB threads) and never
multiprocessing's spawn (it re-runs the caller's `__main__`). It opens the caller's on-disk store
read-only, runs the already checked text with the normal engine, and writes the answer as SPARQL
JSON results or N-Triples, which the caller parses back into the same Result, counting rows as it
reads. The worker leaves when its stdin closes, so it also stops if the caller dies.

Protocol: stdin gets one JSON line (the request) and then stays open; stdout gets one JSON line
(the form, or an error's kind and message) and then the answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

import ip5graph
from ip5graph.errors import DataError, Ip5GraphError, QueryError, UnsafeQueryError, UsageError
from ip5graph.query import safety
from ip5graph.query.formats import to_json
from ip5graph.query.limits import Budget
from ip5graph.query.parameters import Prepared
from ip5graph.query.results import Result
from ip5graph.rdf.terms import rdf_bytes

_ERRORS: dict[str, type[Ip5GraphError]] = {
    e.__name__: e for e in (QueryError, UnsafeQueryError, UsageError, DataError, Ip5GraphError)
}


def run(store: Path, prepared: Prepared, budget: Budget) -> Result:
    """The answer to `prepared` from a worker over the store at `store`, or QueryError at the deadline.

    The worker is killed and reaped however this ends (answer, error, deadline, KeyboardInterrupt).
    Labels are not looked up here: the caller's engine adds them, as on the in-process path.
    """
    # the worker runs only text that passed the safety check, whoever built `prepared`
    text = safety.check(prepared.text, prepared.source).text
    request: dict[str, object] = {
        "store": str(store),
        "text": text,
        "bindings": to_json(Result("SELECT", list(prepared.bindings), [tuple(prepared.bindings.values())])),
        "source": prepared.source,
        "form": prepared.form,
        "max_rows": budget.max_rows,
    }
    if budget.deadline is not None and time.monotonic() >= budget.deadline:
        raise budget.timed_out()
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a chatty worker can never block
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ip5graph.query.isolated"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=_worker_env(),
            )
        except OSError as e:
            raise QueryError(f"{prepared.source}: cannot start a worker process: {e.strerror or e}") from None
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            proc.kill()

        timer = None
        if budget.deadline is not None:
            timer = threading.Timer(max(0.0, budget.deadline - time.monotonic()), kill)
            timer.daemon = True
            timer.start()
        try:
            try:
                return _exchange(proc, request, budget)
            except (OSError, RuntimeError, ValueError, SyntaxError) as e:
                failure: Exception = e
            if expired.is_set():
                raise budget.timed_out() from None
            stderr.seek(0)
            raise _worker_failed(prepared.source, proc.wait(), stderr.read(), failure) from None
        except Ip5GraphError:
            if expired.is_set():
                raise budget.timed_out() from None
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if proc.poll() is None:
                proc.kill()
            proc.wait()  # reaped: no zombie left behind
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:
                        pass


def _worker_env() -> dict[str, str]:
    """The caller's environment, where `python -m ip5graph...` finds the caller's own ip5graph.

    A source checkout or an editable install is put first on PYTHONPATH; an installed package
    (in a site-packages directory) is found anyway, and putting that directory ahead of the
    standard library could shadow it.
    """
    import site

    env = dict(os.environ)
    root = Path(ip5graph.__file__).resolve().parent.parent
    installed = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    if root not in installed:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    return env


def _exchange(proc: subprocess.Popen[bytes], request: dict[str, object], budget: Budget) -> Result:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
    proc.stdin.flush()  # stdin stays open: closing it tells the worker to leave
    header = json.loads(proc.stdout.readline() or b"null")
    if not isinstance(header, dict):
        raise ValueError("no answer")
    if "error" in header:
        raise _ERRORS.get(str(header["error"]), QueryError)(str(header["message"]))
    form = str(header["form"])
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = budget.collect(q.triple for q in ox.parse(proc.stdout, format=ox.RdfFormat.N_TRIPLES))
        result = Result(form, triples=triples)
    else:
        answer = ox.parse_query_results(proc.stdout, format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK", boolean=bool(answer))
        else:
            variables = [v.value for v in answer.variables]
            rows = [tuple(sol[i] for i in range(len(variables))) for sol in budget.guard(answer)]
            result = Result("SELECT", variables, rows)
    code = proc.wait()  # the worker leaves by itself once its answer is written
    if code != 0:
        raise ValueError(f"exit code {code}")
    return result


def _worker_failed(source: str, code: int, stderr: bytes, failure: Exception) -> QueryError:
    how = f"was ended by signal {-code}" if code < 0 else f"ended with exit code {code}"
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    why = lines[-1] if lines else " ".join(str(failure).split())
    return QueryError(f"{source}: query failed: its worker process {how}" + (f" ({why})" if why else ""))


# ---------------------------------------------------------------- the worker


def _leave_with_parent() -> None:
    sys.stdin.buffer.read()  # returns at EOF: the caller closed the pipe, or died
    os._exit(1)


def _answer(request: dict[str, object]) -> tuple[dict[str, str], bytes]:
    from ip5graph.query.engines.oxigraph import OxigraphEngine

    source = str(request["source"])
    bindings = ox.parse_query_results(str(request["bindings"]), format=ox.QueryResultsFormat.JSON)
    assert isinstance(bindings, ox.QuerySolutions)
    names = [v.value for v in bindings.variables]
    values = next(iter(bindings), None)
    subs = {n: values[n] for n in names if values is not None and values[n] is not None}
    prepared = Prepared(str(request["text"]), subs, source, str(request["form"]))
    store = ox.Store.read_only(str(request["store"]))
    max_rows = request["max_rows"]
    budget = Budget(None, int(max_rows) if isinstance(max_rows, int) else None, source)
    result = OxigraphEngine(store).run(prepared, budget, with_labels=False)
    if result.is_graph:
        return {"form": result.form}, rdf_bytes(result.triples, ox.RdfFormat.N_TRIPLES)
    return {"form": result.form}, to_json(result).encode("utf-8")


def main() -> int:
    """The worker: one request on stdin, its answer on stdout."""
    request = json.loads(sys.stdin.buffer.readline() or b"null")
    if not isinstance(request, dict):
        return 2
    threading.Thread(target=_leave_with_parent, daemon=True).start()
    try:
        header, body = _answer(request)
    except Ip5GraphError as e:
        header, body = {"error": type(e).__name__, "message": str(e)}, b""
    except Exception as e:  # noqa: BLE001 - whatever happens, the caller gets one line
        message = f"{request.get('source')}: query failed: {type(e).__name__}: {' '.join(str(e).split())}"
        header, body = {"error": "QueryError", "message": message}, b""
    out = sys.stdout.buffer
    out.write(json.dumps(header).encode("utf-8") + b"\n")
    out.write(body)
    out.flush()
    return 0


if __name__ == "__main__":
    # os._exit: a normal exit would wait for the thread blocked on stdin (and unwinding RocksDB
    # costs time); the answer is flushed already
    code = main()
    sys.stdout.flush()
    os._exit(code)
