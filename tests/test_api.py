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


def test_the_graph_is_loaded_once_for_queries_stats_network_and_views(monkeypatch: pytest.MonkeyPatch) -> None:
    from ip5graph.kg import load
    from ip5graph.kg.stats import stats
    from ip5graph.network import projection
    from ip5graph.web import views

    loads = []
    load_memory = load.load_memory
    monkeypatch.setattr(load, "load_memory", lambda inputs: loads.append(inputs) or load_memory(inputs))
    kg = ip5graph.open(data=[FIXTURES])
    assert stats(kg).triples > 800
    net = kg.network()
    assert projection.load(kg) is net  # the one cached projection
    assert views.around(net, "office/jpo").graph.number_of_nodes() > 1
    assert len(views.from_query(net, "01-offices").graph) == 5
    assert len(loads) == 1


def test_the_network_follows_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the rdflib engine the network is projected from rdflib's graph: no Oxigraph store is loaded."""
    from ip5graph.kg import load

    ox_net = ip5graph.open(data=[FIXTURES]).network().graph
    monkeypatch.setattr(load, "load_memory", lambda inputs: pytest.fail("loaded an Oxigraph store"))
    rd_net = ip5graph.open(data=[FIXTURES], engine="rdflib").network().graph
    assert sorted(rd_net.nodes) == sorted(ox_net.nodes)
    assert sorted(rd_net.edges(keys=True)) == sorted(ox_net.edges(keys=True))
