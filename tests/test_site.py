"""site.py: what `ip5graph build` writes, byte-identical twice, atomic, escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from netgraph import FIXTURE

import ip5graph
from ip5graph.errors import UsageError
from ip5graph.query import catalogue
from ip5graph.web import site

XSS = "<img src=x onerror=alert(1)>"


def kg():
    return ip5graph.open(data=[FIXTURE])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> site.SiteReport:
    return site.build_site(kg(), tmp_path_factory.mktemp("s") / "site")


def test_pages_written(built):
    pages = set(built.pages)
    assert {"index.html", "overview.html", "timeline.html"} <= pages
    offices = {p for p in pages if p.startswith("office/")}
    meetings = {p for p in pages if p.startswith("meeting/")}
    people = {p for p in pages if p.startswith("person/")}
    assert offices == {f"office/{o}.html" for o in ("cnipa", "epo", "jpo", "kipo", "uspto")}
    assert meetings == {
        "meeting/heads-2020.html",
        "meeting/heads-2021.html",
        "meeting/heads-2022.html",
        "meeting/heads-industry-2021.html",
    }
    assert len(people) == 7
    queries = {p for p in pages if p.startswith("queries/")}
    assert queries == {f"queries/{q.name}.html" for q in catalogue.catalogue()}
    downloads = {f for f in built.files if f.startswith("downloads/")}
    assert downloads == {
        f"downloads/{n}"
        for n in (
            "ip5graph.ttl",
            "ip5graph.nt",
            "ip5graph.jsonld",
            "ip5graph.rdf",
            "ip5graph.trig",
            "ip5graph.graphml",
            "ip5graph.gexf",
            "nodes.csv",
            "edges.csv",
        )
    }
    for f in built.files:
        assert (built.out / f).is_file()
    assert (built.out / site.VIS_ASSET).stat().st_size > 400_000


def test_index_links_every_page_and_download(built):
    index = (built.out / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    expected = {p for p in built.pages if p != "index.html"} | {f for f in built.files if f.startswith("downloads/")}
    assert expected <= links
    for link in links:
        assert (built.out / link).is_file(), link


def test_pages_link_relative_and_never_to_the_network(built):
    for rel in built.pages:
        text = (built.out / rel).read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), rel
        depth = rel.count("/")
        assert f'<script src="{"../" * depth}{site.VIS_ASSET}"></script>' in text, rel
        assert XSS not in text, rel


def test_query_tables_escaped_and_complete(built):
    page = (built.out / "queries/17-labels-in-language.html").read_text(encoding="utf-8")
    assert '<td>特許庁 <span class="muted">@ja</span></td>' in page
    offices = (built.out / "queries/01-offices.html").read_text(encoding="utf-8")
    assert offices.count("<tr>") == 1 + 5
    assert '<a href="../office/jpo.html">office:jpo</a>' in offices


def test_entity_page_says_its_links_in_words(built):
    page = (built.out / "person/kasutani-toshihide.html").read_text(encoding="utf-8")
    assert "<li>Kasutani Toshihide chaired 14th IP5 Heads meeting</li>" in page
    data = json.loads(re.search(r'id="ip5-data">(.*?)</script>', page, re.S).group(1))
    assert data["nodes"][data["focus"]]["label"] == "Kasutani Toshihide"
    assert data["root"] == "../"


def test_two_builds_are_byte_identical(built, tmp_path):
    again = site.build_site(kg(), tmp_path / "again")
    assert again.files == built.files
    for f in built.files:
        assert (built.out / f).read_bytes() == (again.out / f).read_bytes(), f


def test_failed_build_leaves_previous_site(tmp_path):
    out = tmp_path / "site"
    site.build_site(kg(), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    seen = []

    def interrupt_half_way(done: int, total: int, label: str) -> None:
        seen.append(label)
        if done == total // 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C with half the pages written

    with pytest.raises(KeyboardInterrupt):
        site.build_site(kg(), out, progress=interrupt_half_way)
    assert len(seen) > 10  # pages had been written when the build stopped
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folders left


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    mine = tmp_path / "docs"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="not built by ip5graph"):
        site.build_site(kg(), mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_inline_build_has_no_asset(tmp_path):
    report = site.build_site(kg(), tmp_path / "s", inline=True)
    assert site.VIS_ASSET not in report.files
    assert "<script src=" not in (report.out / "overview.html").read_text(encoding="utf-8")


def test_builds_in_separate_processes_are_byte_identical(tmp_path):
    """Set and dict orders change with PYTHONHASHSEED; nothing may leak into the output."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root))
        subprocess.run(
            [sys.executable, "-m", "ip5graph", "build", "-o", str(out), "--data", str(FIXTURE)],
            check=True,
            env=env,
            cwd=root,
            capture_output=True,
        )
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []
