"""Hard deadlines for the Python API: a query busy inside the engine is stopped by killing its worker
process, no worker outlives its query or its caller, and the answers equal the in-process ones."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import ip5graph
from ip5graph.errors import QueryError, UnsafeQueryError, UsageError
from ip5graph.kg.graph import KnowledgeGraph
from ip5graph.query import isolated, parameters
from ip5graph.query.limits import Budget

ROOT = Path(__file__).resolve().parent.parent
# a product of three copies of the graph (the ontology alone is ~1,700 triples): minutes of work
# inside the engine, with no row to stop at before it is done
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = """\
@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a rdfs:label "Alpha"@en, "アルファ"@ja ; ex:size 3 ; ex:knows ex:b, [ ex:note "anonymous" ] .
ex:b rdfs:label "Beta" ; ex:size "4"^^xsd:integer ; ex:when "2021-06-01"^^xsd:date .
ex:c ex:knows ex:a .
"""


@pytest.fixture(scope="module")
def disk_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The small graph above (with the ontology) in its own on-disk cached store."""
    root = tmp_path_factory.mktemp("isolated")
    (root / "data").mkdir()
    (root / "data" / "small.ttl").write_text(SMALL, encoding="utf-8")
    kg = ip5graph.open(data=[root / "data"], store="cached", cache_dir=root / "cache")
    kg.engine  # noqa: B018 - builds and opens the store once for the module
    return kg


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every worker process started during the test (killed at the end if a test left one)."""
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def recording(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        proc = real(*args, **kwargs)  # type: ignore[call-overload]
        started.append(proc)
        return proc

    monkeypatch.setattr(isolated.subprocess, "Popen", recording)
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _gone(pid: int) -> bool:
    """True when no process (not even a zombie) has this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_runaway_count_is_killed_at_the_deadline(disk_kg: KnowledgeGraph, workers: list) -> None:
    prepared = parameters.resolve(RUNAWAY, {})
    outcome: list[BaseException] = []

    def ask() -> None:
        try:
            disk_kg.run(prepared, Budget(timeout=1, hard=True))
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            outcome.append(e)

    started = time.monotonic()
    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the query ran on past its deadline"
    elapsed = time.monotonic() - started
    assert len(outcome) == 1 and isinstance(outcome[0], QueryError)
    assert str(outcome[0]) == "<query>: query timed out after 1 s (--timeout to change it)"
    assert elapsed < 1 + 20  # generous: the count alone would take minutes
    assert len(workers) == 1
    assert _gone(workers[0].pid), "the worker process was left behind"


def test_ctrl_c_stops_the_worker_too(disk_kg: KnowledgeGraph, workers: list) -> None:
    # no deadline at all: the caller gives up (Ctrl-C in a notebook) and the worker must go with it
    prepared = parameters.resolve(RUNAWAY, {})
    interrupt = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    interrupt.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            disk_kg.run(prepared, Budget(None, hard=True))
    finally:
        interrupt.cancel()
    assert len(workers) == 1 and _gone(workers[0].pid)


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label", {}),
        (
            "SELECT ?s ?o ?note WHERE { ?s <http://example.org/knows> ?o "
            "OPTIONAL { ?o <http://example.org/note> ?note } } ORDER BY ?s ?o",
            {},
        ),
        ("SELECT ?s ?v WHERE { ?s ?p ?v FILTER(isLiteral(?v) && ?p != <http://example.org/note>) } ORDER BY ?s ?v", {}),
        ("SELECT ?s ?o WHERE { ?s <http://example.org/knows> ?o }", {"s": "http://example.org/c"}),
        ("ASK { <http://example.org/a> <http://example.org/size> 3 }", {}),
        ("ASK { <http://example.org/a> <http://example.org/size> 5 }", {}),
        ("CONSTRUCT { ?s <http://example.org/linked> ?o } WHERE { ?s <http://example.org/knows> ?o }", {}),
        ("DESCRIBE <http://example.org/b>", {}),
    ],
)
def test_a_hard_budget_gives_the_same_result(
    disk_kg: KnowledgeGraph, workers: list, query: str, params: dict[str, object]
) -> None:
    prepared = parameters.resolve(query, params)
    inside = disk_kg.run(prepared, Budget(timeout=30))
    hard = disk_kg.run(prepared, Budget(timeout=30, hard=True))
    assert len(workers) == 1 and _gone(workers[0].pid)
    assert (hard.form, hard.variables, hard.boolean) == (inside.form, inside.variables, inside.boolean)
    assert hard.rows == inside.rows and hard.triples == inside.triples
    assert hard.labels == inside.labels
    assert len(hard) > 0


def test_the_worker_sees_the_bound_parameters(disk_kg: KnowledgeGraph, workers: list) -> None:
    # the same query unbound answers more: a worker that dropped the binding would be caught here
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/knows> ?o } ORDER BY ?s ?o"
    every = disk_kg.run(parameters.resolve(text, {}), Budget(30, hard=True))
    bound = disk_kg.run(parameters.resolve(text, {"s": "http://example.org/c"}), Budget(30, hard=True))
    assert len(every) == 3
    assert [tuple(str(t) for t in row) for row in bound.rows] == [("<http://example.org/c>", "<http://example.org/a>")]


def test_the_row_limit_holds_in_the_worker(disk_kg: KnowledgeGraph, workers: list) -> None:
    prepared = parameters.resolve("SELECT * WHERE { ?s ?p ?o }", {})
    with pytest.raises(QueryError, match=r"^<query>: the answer has more than 5 rows \(--max-rows"):
        disk_kg.run(prepared, Budget(timeout=30, max_rows=5, hard=True))
    triples = parameters.resolve("CONSTRUCT WHERE { ?s ?p ?o }", {})
    with pytest.raises(QueryError, match="more than 7 rows"):
        disk_kg.run(triples, Budget(timeout=30, max_rows=7, hard=True))
    assert len(workers) == 2 and all(_gone(p.pid) for p in workers)


def test_errors_come_back_as_one_line(disk_kg: KnowledgeGraph, workers: list) -> None:
    bad = parameters.Prepared("SELECT * WHERE { ?s ?p }", {}, "bad.rq", "SELECT")
    with pytest.raises(QueryError) as err:
        disk_kg.run(bad, Budget(timeout=30, hard=True))
    assert str(err.value).startswith("bad.rq:1:") and "\n" not in str(err.value)
    assert len(workers) == 1 and _gone(workers[0].pid)


def test_an_unchecked_query_never_reaches_a_worker(disk_kg: KnowledgeGraph, workers: list) -> None:
    # Prepared built by hand, past parameters.resolve: the safety check still runs first
    sneaky = parameters.Prepared(
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", {}, "<query>", "SELECT"
    )
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        disk_kg.run(sneaky, Budget(timeout=30, hard=True))
    assert workers == []


def test_a_graph_in_memory_or_on_rdflib_refuses_a_hard_budget(fixture_kgs: dict[str, KnowledgeGraph]) -> None:
    prepared = parameters.resolve("SELECT * WHERE { ?s ?p ?o } LIMIT 1", {})
    with pytest.raises(UsageError, match=r'in memory: open it with ip5graph.open\(store="cached"\)$'):
        fixture_kgs["oxigraph"].run(prepared, Budget(timeout=5, hard=True))
    with pytest.raises(UsageError, match="needs the oxigraph engine"):
        fixture_kgs["rdflib"].run(prepared, Budget(timeout=5, hard=True))


def test_the_worker_leaves_when_its_caller_dies(disk_kg: KnowledgeGraph, tmp_path: Path) -> None:
    # a caller with no deadline at all is SIGKILLed mid-query: its worker must not run on
    code = (
        "import subprocess, sys, ip5graph\n"
        "from ip5graph.query import isolated, parameters\n"
        "from ip5graph.query.limits import Budget\n"
        "real = subprocess.Popen\n"
        "def tell(*a, **k):\n"
        "    p = real(*a, **k); print(p.pid, flush=True); return p\n"
        "isolated.subprocess.Popen = tell\n"
        f"kg = ip5graph.open(data=[{str(tmp_path / 'data')!r}], store='cached', cache_dir={str(tmp_path)!r})\n"
        f"kg.run(parameters.resolve({RUNAWAY!r}, {{}}), Budget(None, hard=True))\n"
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "small.ttl").write_text(SMALL, encoding="utf-8")
    caller = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    try:
        assert caller.stdout is not None
        worker = int(caller.stdout.readline())
        assert not _gone(worker)
        for _ in range(600):  # until the worker is inside the count: 0.5 s of CPU (starting costs ~0.1 s)
            if _cpu_seconds(worker) >= 0.5:
                break
            time.sleep(0.05)
        assert _cpu_seconds(worker) >= 0.5
        caller.send_signal(signal.SIGKILL)
        caller.wait()
        for _ in range(200):
            if _gone(worker) or _zombie(worker):
                break
            time.sleep(0.05)
        assert _gone(worker) or _zombie(worker), "the worker ran on after its caller died"
    finally:
        if caller.poll() is None:
            caller.kill()
            caller.wait()
        if "worker" in locals() and not _gone(worker) and not _zombie(worker):
            os.kill(worker, signal.SIGKILL)


def _zombie(pid: int) -> bool:
    """An orphan that ended but is not reaped yet (a container's pid 1 may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
