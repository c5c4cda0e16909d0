"""cli/network.py and cli/site.py (view, path, build) and the graph parts of export and stats, through cli.main."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import netgraph

from ip5graph.cli import main

FIXTURE = str(netgraph.FIXTURE)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--data", FIXTURE])
    out, err = capsys.readouterr()
    return code, out, err


def island(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="ip5-data">(.*?)</script>', text, re.S).group(1))


def test_view_whole_focus_and_query(capsys, tmp_path):
    code, out, _ = run(capsys, "view", "-o", str(tmp_path / "all.html"))
    assert code == 0 and out == f"wrote {tmp_path / 'all.html'}: 25 entities, 29 links\n"
    code, out, _ = run(capsys, "view", "--focus", "糟谷敏秀", "--depth", "1", "-o", str(tmp_path / "k.html"))
    data = island(tmp_path / "k.html")
    assert code == 0 and data["nodes"][data["focus"]]["label"] == "Kasutani Toshihide"
    assert sorted(n["label"] for n in data["nodes"]) == [
        "14th IP5 Heads meeting",
        "Japan Patent Office",
        "Kasutani Toshihide",
    ]
    code, out, _ = run(
        capsys,
        "view",
        "--query",
        "03-meeting-participants",
        "-p",
        "meeting=meeting:heads-2021",
        "-o",
        str(tmp_path / "q.html"),
    )
    assert code == 0
    labels = {n["label"] for n in island(tmp_path / "q.html")["nodes"]}
    assert {"Kasutani Toshihide", "Lisa Jorgenson", "14th IP5 Heads meeting"} <= labels
    assert "<script src=" not in (tmp_path / "q.html").read_text(encoding="utf-8")  # standalone: inlined


def test_view_keep_records(capsys, tmp_path):
    run(capsys, "view", "--keep-records", "-o", str(tmp_path / "r.html"))
    assert len(island(tmp_path / "r.html")["nodes"]) == 35


def test_view_errors_are_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "view", "--focus", "nobody", "-o", str(tmp_path / "x.html"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "no entity called 'nobody'" in err
    code, _, err = run(capsys, "view", "-o", str(tmp_path / "missing" / "x.html"))
    assert code == 2 and "no such directory" in err
    code, _, err = run(capsys, "view", "-p", "a=b", "-o", str(tmp_path / "x.html"))
    assert code == 2 and "--param needs --query" in err
    assert not (tmp_path / "x.html").exists()


def test_path(capsys):
    code, out, _ = run(capsys, "path", "Lisa Jorgenson", "office/cnipa", "--hops")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == (
        "Lisa Jorgenson attended 14th IP5 Heads meeting as an observer, which followed 13th IP5 "
        "Heads meeting, which was hosted by China National Intellectual Property Administration"
    )
    assert lines[1] == "  Lisa Jorgenson attended 14th IP5 Heads meeting as an observer  [S00b]"
    code, out, _ = run(capsys, "path", "jpo", "jpo")
    assert code == 0 and "same entity" in out
    code, _, err = run(capsys, "path", "jpo", "nobody")
    assert code == 2 and err.startswith("ip5graph: error: no entity called 'nobody'")


def test_build(capsys, tmp_path):
    out_dir = tmp_path / "site"
    code, out, err = run(capsys, "build", "-o", str(out_dir))
    assert code == 0 and err == ""  # no TTY: no progress bar
    files = [f for f in out_dir.rglob("*") if f.is_file()]
    pages = [f for f in files if f.suffix == ".html"]
    assert len(pages) > 60  # a page for every labelled entity of the fixture, and the views and queries
    assert out == f"built {out_dir}/: {len(pages)} pages, {len(files)} files; open {out_dir / 'index.html'}\n"
    code, _, err = run(capsys, "build", "-o", str(tmp_path / "site"), "--depth", "-1")
    assert code == 2 and "--depth" in err


def test_export_graph_formats(capsys, tmp_path):
    code, out, _ = run(capsys, "export", "--format", "graphml")
    assert code == 0 and out.startswith("<?xml") and "graphml" in out
    code, _, err = run(capsys, "export", "--format", "csv")
    assert code == 2 and "give -o FOLDER" in err
    code, _, _ = run(capsys, "export", "--format", "csv", "-o", str(tmp_path / "neo4j"))
    rows = list(csv.reader(io.StringIO((tmp_path / "neo4j" / "nodes.csv").read_text(encoding="utf-8"))))
    assert code == 0 and len(rows) == 1 + 25
    code, _, _ = run(capsys, "export", "--format", "gexf", "-o", str(tmp_path / "g.gexf"))
    assert code == 0 and (tmp_path / "g.gexf").read_bytes().startswith(b"<?xml")
    code, _, err = run(capsys, "export", "--format", "gexf", "-o", str(tmp_path / "missing" / "g.gexf"))
    assert code == 2 and err.count("\n") == 1 and "no such directory" in err


def test_stats_lists_central_entities(capsys):
    code, out, _ = run(capsys, "stats")
    assert code == 0
    section = out.split("most central entities")[1].splitlines()
    assert section[3].split()[:2] == ["1", "meeting:heads-2021"]
    code, out, _ = run(capsys, "stats", "--format", "csv")
    assert "rank,entity,label,class,betweenness,degree" in out
