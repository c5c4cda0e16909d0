"""The command line: every command, exit codes, one-line errors, and the cold query path's imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from qhelpers import FIXTURES, ROOT, run_cli

from ip5graph.cli import main
from ip5graph.cli.app import GROUPS


def test_queries_lists_the_catalogue(capsys: pytest.CaptureFixture) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= 15
    assert any(line.startswith("03-meeting-participants") and "[meeting=IRI]" in line for line in out)
    assert main(["queries", "-v"]) == 0
    assert "e.g. meeting:heads-2021" in capsys.readouterr().out


def test_query_named_with_param_csv(capsys: pytest.CaptureFixture) -> None:
    code = main(
        [
            "query",
            "03-meeting-participants",
            "--param",
            "meeting=meeting:heads-2021",
            "--format",
            "csv",
            "--data",
            str(FIXTURES),
        ]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "meeting,participant,role,representing,onBehalfOf,capacity"
    assert len(lines) == 4
    assert any("person/lisa-jorgenson" in line and "person/daren-tang" in line for line in lines)


def test_query_expression_json_on_rdflib(capsys: pytest.CaptureFixture) -> None:
    code = main(
        [
            "query",
            "-e",
            "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/ip5graph/ontology#HeadsMeeting> }",
            "--engine",
            "rdflib",
            "--format",
            "json",
            "--data",
            str(FIXTURES),
        ]
    )
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"]["bindings"][0]["n"]["value"] == "2"


def test_query_construct_defaults_to_turtle(capsys: pytest.CaptureFixture) -> None:
    assert main(["query", "18-meeting-graph", "-p", "meeting=meeting:heads-2021", "--data", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("@prefix") and "meeting:heads-2021" in out


def test_stats(capsys: pytest.CaptureFixture) -> None:
    assert main(["stats", "--data", str(FIXTURES)]) == 0
    out = capsys.readouterr().out
    assert "triples: " in out
    assert any(line.split()[:3] == ["heads", "of", "office"] and line.split()[-1] == "2" for line in out.splitlines())
    # official: the six OFF sources of sources.ttl and S186 of statistics.ttl; 32 distinct nodes cite them
    # (28 + two name records + the observations of S186 and S00a in statistics.ttl)
    assert any(line.split() == ["official", "7", "32"] for line in out.splitlines())


def test_export_and_validate_commands(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "graph.nt"
    assert main(["export", "--format", "nt", "-o", str(out), "--data", str(FIXTURES)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) > 800
    assert main(["validate", "--data", str(FIXTURES)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "valid"


@pytest.mark.parametrize("command", list(GROUPS))
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    assert "example" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["query", "heads-meting"], 2, "did you mean '02-heads-meetings'?"),
        (["query", "03-meeting-participants"], 2, "needs a parameter: --param meeting="),
        (["query", "05-heads-on-date", "--param", "date=soon"], 2, "parameter 'date' must be a date"),
        (["query", "05-heads-on-date", "--param", "date"], 2, "--param takes KEY=VALUE"),
        (["query", "01-offices", "--format", "yaml"], 2, "invalid choice"),
        (["query", "18-meeting-graph", "-p", "meeting=meeting:heads-2021", "--format", "csv"], 2, "does not suit"),
        (["query"], 2, "give a query NAME"),
        (["frobnicate"], 2, "invalid choice"),
        (["query", "-e", "SELECT * WHERE {\n ?s ?p \n}"], 1, "<query>:"),
        (["query", "-e", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"], 1, "refused: SERVICE"),
        (["query", "-e", "DELETE WHERE { ?s ?p ?o }"], 1, "refused: DELETE"),
        (["query", "01-offices", "--data", "/nonexistent/dir"], 1, "/nonexistent/dir: no such file or directory"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(args: list[str], code: int, message: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("ip5graph: error: ")


def test_malformed_turtle_is_reported_with_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n', encoding="utf-8")
    for command in (["query", "01-offices"], ["export"], ["stats"], ["validate"]):
        proc = run_cli(*command, "--data", str(tmp_path))
        assert proc.returncode == 1, (command, proc.stderr, proc.stdout)
        text = proc.stderr + proc.stdout
        assert f"{bad}:3:" in text, (command, text)
        assert "Traceback" not in text


def test_query_path_imports_no_rdflib_networkx_or_pyvis() -> None:
    code = (
        "import sys, io\n"
        "from ip5graph.cli import main\n"
        "out = sys.stdout; sys.stdout = io.StringIO()\n"
        f"rc = main(['query', '03-meeting-participants', '-p', 'meeting=meeting:heads-2021', '--data', {str(FIXTURES)!r}])\n"
        "sys.stdout = out\n"
        "assert rc == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'networkx', 'pyvis')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_output_piped_into_a_closed_reader_is_not_an_error() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        f"{sys.executable} -m ip5graph query 16-timeline --format csv | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout.startswith("date,what,event")
    assert "Traceback" not in proc.stderr


@pytest.mark.long
def test_fresh_venv_install_runs_from_another_directory(tmp_path: Path) -> None:
    """`pip install .` into a new venv, then `ip5graph query` from an unrelated folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    proc = subprocess.run(
        [str(venv / "bin" / "ip5graph"), "query", "02-heads-meetings", "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "ordinal,meeting,start,end,place,format,host,hostThen,chair"
    assert len(lines) > 10
    assert any(line.startswith("14,https://w3id.org/ip5graph/id/meeting/heads-2021,2021-06-23") for line in lines)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "ip5graph", "queries"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0 and "17-labels-in-language" in proc.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "02-heads-meetings"],
        ["query", "03", "--param", "meeting=meeting:heads-2021", "-p", "x=1", "--format", "csv"],
        ["query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--engine", "rdflib", "--width=80"],
        ["query", "--data", "a", "--data=b", "-f", "json", "05-heads-on-date", "-p", "date=2021-06-23"],
    ],
)
def test_fast_query_parsing_matches_argparse(argv: list[str]) -> None:
    from ip5graph.cli.app import build_parser
    from ip5graph.cli.fast import fast_query_args

    fast = vars(fast_query_args(argv))
    slow = vars(build_parser().parse_args(argv))
    for key in ("target", "expr", "param", "format", "engine", "width", "data"):
        assert fast[key] == slow[key], key


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "--help"],
        ["query", "02", "--endpoint", "http://127.0.0.1:1"],
        ["query", "-pX=1", "02"],
        ["query", "02", "--format", "yaml"],
        ["query", "02", "03"],
        ["query", "02", "--width", "wide"],
        ["query", "02", "--param"],
        ["queries"],
    ],
)
def test_anything_unusual_goes_through_argparse(argv: list[str]) -> None:
    from ip5graph.cli.fast import fast_query_args

    assert fast_query_args(argv) is None
