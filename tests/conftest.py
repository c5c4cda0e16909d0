"""Shared test set-up: every test session gets its own store cache (never the user's), and the
hand-written fixtures are loaded and projected once per session (treat them as read-only)."""

from __future__ import annotations

import os

import networkx as nx
import pytest
import rdflib

import ip5graph
from ip5graph.kg.graph import KnowledgeGraph


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def fixture_kgs() -> dict[str, KnowledgeGraph]:
    """tests/fixtures/data (ontology included), loaded once on each engine."""
    from qhelpers import FIXTURES

    return {engine: ip5graph.open(data=[FIXTURES], engine=engine) for engine in ("oxigraph", "rdflib")}


@pytest.fixture(scope="session")
def bundled_kgs() -> dict[str, KnowledgeGraph]:
    """The bundled graph (ontology and graph_data), opened once on each engine (loaded on first use)."""
    return {engine: ip5graph.open(engine=engine) for engine in ("oxigraph", "rdflib")}


@pytest.fixture(scope="session")
def data_rdflib() -> rdflib.Graph:
    """graph_data/*.ttl parsed by rdflib alone (not through ip5graph's loader), once per session: the
    independent reading that tests of the data compare ip5graph's answers against (read-only)."""
    from ip5graph.kg import resources

    g = rdflib.Graph()
    for f in resources.data_files():
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="session")
def views_kg() -> KnowledgeGraph:
    """tests/fixtures/views_small.ttl (with the ontology): the graph behind the network, views and site tests."""
    from netgraph import FIXTURE

    return ip5graph.open(data=[FIXTURE])


@pytest.fixture(scope="session")
def net() -> nx.MultiDiGraph:
    """The projected network of the views fixture (tests that change a graph make their own)."""
    from netgraph import fixture_rdf

    from ip5graph.network import projection

    return projection.project(fixture_rdf())
