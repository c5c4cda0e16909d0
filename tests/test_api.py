"""The Python API: ip5graph.open(), .query(), .to_rdflib(), and a cheap package import."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from qhelpers import FIXTURES, ROOT

import ip5graph
from ip5graph.errors import UsageError


def test_open_query_and_to_rdflib() -> None:
    kg = ip5graph.open(data=[FIXTURES])
    result = kg.query("04-office-heads", office="office:jpo")
    assert result.variables == ["office", "holder", "title", "start", "end", "acting", "firstSeen"]
    assert [row[1].value for row in result.rows] == ["https://w3id.org/ip5graph/id/person/kasutani-toshihide"]
    assert result.dicts()[0]["title"].value == "Commissioner"
    graph = kg.to_rdflib()
    assert len(graph) == int(kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)
    assert kg.to_rdflib() is graph  # loaded once


def test_unknown_engine() -> None:
    with pytest.raises(UsageError, match="unknown engine 'jena'"):
        ip5graph.open(engine="jena")


def test_importing_the_package_is_cheap() -> None:
    code = (
        "import sys, ip5graph; print(sorted(m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
        "('rdflib', 'networkx', 'pyvis', 'pyshacl', 'pyoxigraph')))"
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


def test_unwritable_cache_falls_back_to_memory(tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    kg = ip5graph.open(data=[FIXTURES], cache_dir=blocker / "cache", store="cached")
    assert len(kg.query("01-offices").rows) == 5


def test_default_store_is_in_memory_and_cached_store_persists(tmp_path) -> None:
    """open() loads into memory (fastest for many queries); store="cached" builds the on-disk
    store that one-shot `ip5graph query` processes reuse."""
    kg = ip5graph.open(data=[FIXTURES], cache_dir=tmp_path / "cache")
    assert len(kg.query("01-offices").rows) == 5
    assert not (tmp_path / "cache").exists()
    cached = ip5graph.open(data=[FIXTURES], cache_dir=tmp_path / "cache", store="cached")
    assert [r for r in cached.query("01-offices").rows] == [r for r in kg.query("01-offices").rows]
    assert any((tmp_path / "cache").rglob("*"))


def test_unknown_store_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown store"):
        ip5graph.open(store="disk")
