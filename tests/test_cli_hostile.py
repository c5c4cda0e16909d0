"""The CLI on hostile and malformed input: one line, the documented exit code, nothing replaced or fetched.

Runs `ip5graph` in-process (cli.app.main): an exception that escaped would fail the test, so
"no traceback" is checked for every case; crashes that kill a process are covered by subprocess
cases. The fuzz corpus runs in full in the long suite, a sample otherwise.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzcorpus import benign_queries, encodings, malformed_queries, parameters, remote_queries, turtle_inputs
from qhelpers import FIXTURES
from sentinel import LEAK, FileSentinel, HttpSentinel, sentinels_fixture  # noqa: F401 (the `sentinels` fixture)

from ip5graph.cli.app import main

ROOT = Path(__file__).resolve().parent.parent


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> None:
    assert err.count("\n") <= 1 and "Traceback" not in err, err


@pytest.mark.parametrize("mode", ["device", "fifo"])
def test_output_over_a_special_file_is_refused(tmp_path: Path, capsys, mode: str) -> None:  # type: ignore[no-untyped-def]
    node = tmp_path / "node"
    if mode == "fifo":
        os.mkfifo(node)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, _, err = _run(capsys, "export", "--data", str(FIXTURES), "-o", str(node))
    assert code == 2 and "refusing to replace it" in err
    _one_line(err)
    mode_now = os.lstat(node).st_mode
    assert stat.S_ISFIFO(mode_now) if mode == "fifo" else stat.S_ISCHR(mode_now)


def _engines_cases(cases, step: int):  # type: ignore[no-untyped-def]
    return [c for c in cases][::step]


def _query_cases(http: HttpSentinel, files: FileSentinel, step: int) -> list:  # type: ignore[type-arg]
    return (remote_queries(http.base, files.uri) + benign_queries() + malformed_queries())[::step]


def _check_queries(capsys, sentinels, step: int, engines: tuple[str, ...]) -> int:  # type: ignore[no-untyped-def]
    http, files = sentinels
    before = len(http.requests), files.opens()
    n = 0
    for case in _query_cases(http, files, step):
        for engine in engines:
            code, out, err = _run(capsys, "query", "--data", str(FIXTURES), "--engine", engine, str(case.payload))
            _one_line(err)
            assert LEAK not in out
            if case.expect == "refused":
                assert code == 1 and ("refused" in err or "syntax error" in err), (case, err)
            elif case.expect == "ok":
                assert code == 0, (case, err)
            elif case.expect == "error":
                assert code == 1, (case, err)
            elif case.expect == "usage":
                assert code == 2, (case, err)
            else:
                assert code in (0, 1), (case, err)
            n += 1
    assert (len(http.requests), files.opens()) == before
    return n


def test_a_sample_of_the_query_corpus_through_the_cli(capsys, sentinels) -> None:  # type: ignore[no-untyped-def]
    assert _check_queries(capsys, sentinels, 11, ("oxigraph", "rdflib")) > 100


@pytest.mark.long
def test_the_whole_query_corpus_through_the_cli_on_both_engines(capsys, sentinels) -> None:  # type: ignore[no-untyped-def]
    assert _check_queries(capsys, sentinels, 1, ("oxigraph", "rdflib")) >= 1400


def _turtle_case(tmp_path: Path, case) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / case.name
    folder.mkdir()
    (folder / "data.ttl").write_bytes(case.payload)
    return folder


def _check_turtle(tmp_path: Path, capsys, cases) -> None:  # type: ignore[no-untyped-def]
    for case in cases:
        folder = _turtle_case(tmp_path, case)
        results = {}
        for command in (
            ["validate", "--no-canonical"],
            ["stats"],
            ["export", "-f", "nt"],
            ["query", "ASK { ?s ?p ?o }"],
            ["query", "--engine", "rdflib", "ASK { ?s ?p ?o }"],
        ):
            code, out, err = _run(capsys, *command[:1], "--data", str(folder), *command[1:])
            _one_line(err)
            results[command[0] + ("-rdflib" if "rdflib" in command else "")] = code
            if command[0] == "validate":
                results["validate-data-errors"] = bool(re.search(r"data\.ttl:\d+:\d+: ", out))
            if code != 0:  # validate reports on stdout, the others one line on stderr
                shown = out if command[0] == "validate" else err
                assert re.search(r"data\.ttl:\d+:\d+: ", shown), (case, command, out, err)
        if case.expect == "data-error":
            assert results["validate"] == 1, (case, results)
        # what `query` accepts, `validate` accepts too (unless the data are ill-typed: validate's job)
        if results["query"] == 0 and not case.name.startswith("ill-typed"):
            assert not results["validate-data-errors"], (case, results)
            assert results["stats"] == 0 and results["export"] == 0, (case, results)


def test_a_sample_of_the_turtle_corpus(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _check_turtle(tmp_path, capsys, [c for c in turtle_inputs() if c.name != "huge-token"][::5])


@pytest.mark.long
def test_the_whole_turtle_corpus(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _check_turtle(tmp_path, capsys, turtle_inputs())


def test_ill_typed_literals_are_data_errors_in_validate(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for case in [c for c in turtle_inputs() if c.name.startswith("ill-typed")]:
        folder = _turtle_case(tmp_path, case)
        code, out, err = _run(capsys, "validate", "--data", str(folder), "--no-canonical")
        assert code == 1, (case, out, err)
        assert f"{folder / 'data.ttl'}:3:" in out and "ill-typed" in out, out


@pytest.mark.parametrize("case", parameters("http://127.0.0.1:9/"), ids=lambda c: c.name)
def test_parameters_never_inject(capsys, case) -> None:  # type: ignore[no-untyped-def]
    name, value = case.payload
    query = "01" if name == "office" else "SELECT ?x WHERE { BIND(1 AS ?y) }"
    code, out, err = _run(capsys, "query", "--data", str(FIXTURES), query, "--param", f"{name}={value}")
    _one_line(err)
    assert code in (0, 1, 2), err
    assert LEAK not in out


@pytest.mark.parametrize("case", encodings(), ids=lambda c: c.name)
def test_query_files_in_odd_encodings(tmp_path: Path, capsys, case) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "q.rq"
    path.write_bytes(case.payload)
    code, _, err = _run(capsys, "query", "--data", str(FIXTURES), str(path))
    _one_line(err)
    assert code == (0 if case.expect == "ok" else 1), (case, err)


@pytest.mark.parametrize("name", ["nested-groups-3000", "nested-parens-5000"])
def test_deep_nesting_is_an_error_not_a_crash(name: str) -> None:
    text = next(c.payload for c in malformed_queries() if c.name == name)
    proc = subprocess.run(
        [sys.executable, "-m", "ip5graph", "query", "--data", str(FIXTURES), str(text)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1 and "nested too deeply" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_a_closed_stdout_is_not_a_traceback() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m ip5graph query --data {FIXTURES} 'ASK {{}}' >&-",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") <= 1, proc.stderr
