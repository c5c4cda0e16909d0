"""web/render, web/pages, web/layout: the page is self-contained, escaped, deterministic; the layout scales and is seeded."""

from __future__ import annotations

import json
import math
import re

import networkx as nx
import pytest

from ip5graph.network import analytics
from ip5graph.rdf.namespaces import ID
from ip5graph.web import layout, pages, render

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def G(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return net


def island(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="ip5-data">(.*?)</script>', page, re.S)
    assert m, "no JSON island"
    return json.loads(m.group(1))


def test_page_holds_every_node_and_edge(G):
    data = island(render.build_html(G))
    assert len(data["nodes"]) == len(G) == 25
    assert len(data["edges"]) == G.number_of_edges()
    labels = {n["label"] for n in data["nodes"]}
    assert "Kasutani Toshihide" in labels and XSS in labels
    assert data["langs"] == ["en", "ja", "zh", "ko"]
    legend = [c["label"] for c in data["classes"]]
    assert legend[:3] == ["heads of office meeting", "heads and industry meeting", "patent office"]
    jpo = next(n for n in data["nodes"] if n["iri"] == ID + "office/jpo")
    assert [data["sources"][i]["id"] for i in jpo["src"]] == ["S00a"]
    edge_labels = {data["edge_labels"][e["l"]] for e in data["edges"]}
    assert {"chaired", "headed", "headed (acting)", "hosted by", "member of"} <= edge_labels


def test_data_text_is_escaped_and_never_raw_html(G):
    page = render.build_html(G, title="IP5 <b>graph</b> & co")
    assert XSS not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert "</script><script>alert(3)" not in page  # a comment that tries to close the island
    assert "<title>IP5 &lt;b&gt;graph&lt;/b&gt; &amp; co</title>" in page
    app = (render.TEMPLATES / "graph.js").read_text(encoding="utf-8")
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app and "document.write" not in app
    # JSON.parse gives the label back exactly
    assert XSS in {n["label"] for n in island(page)["nodes"]}


def test_no_external_resources(G):
    page = render.build_html(G)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "<script>" in page and "vis-network" in page  # inlined, not linked
    shared = render.build_html(G, vis_src="assets/vis-network.min.js")
    assert '<script src="assets/vis-network.min.js"></script>' in shared
    assert len(shared) < len(page) - 400_000


def test_same_graph_same_bytes(G):
    assert render.build_html(G, focus=ID + "office/jpo") == render.build_html(G, focus=ID + "office/jpo")
    assert island(render.build_html(G, focus=ID + "office/jpo"))["focus"] is not None


def test_json_island_escapes():
    text = pages.json_for_html({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_node_size_follows_centrality(G):
    annotated = G.copy()  # the module's G stays as projected
    analytics.annotate_centrality(annotated)
    data = island(render.build_html(annotated))
    size = {n["iri"]: n["s"] for n in data["nodes"]}
    assert size[ID + "meeting/heads-2021"] == max(size.values())
    assert min(size.values()) >= 10.0


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    g = nx.MultiDiGraph()
    for v in sorted(base):
        g.add_node(f"n{v:05d}", label=f"node {v}", labels={"en": [f"node {v}"]}, cls="c", cls_label="thing")
    for u, v in sorted(base.edges()):
        g.add_edge(f"n{u:05d}", f"n{v:05d}", key="link", label="link")
    return g


def test_layout_large_graph_is_complete_finite_seeded_and_spread():
    g = synthetic(800)
    pos = layout.layout(g, seed=3)
    assert sorted(pos) == sorted(g)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert pos == layout.layout(g, seed=3)
    assert pos != layout.layout(g, seed=4)
    distinct = {(round(x), round(y)) for x, y in pos.values()}
    assert len(distinct) > 0.95 * len(g)  # nodes do not pile up on one spot


def test_layout_small_graph_uses_spring_and_is_seeded(G, monkeypatch):
    seeds = []
    spring = nx.spring_layout

    def spy(g, *args, **kwargs):
        seeds.append(kwargs.get("seed"))
        return spring(g, *args, **kwargs)

    monkeypatch.setattr(nx, "spring_layout", spy)
    pos = layout.layout(G, seed=7)
    assert sorted(pos) == sorted(G)
    assert seeds and set(seeds) == {7}  # every component drawn by the spring layout, with our seed
    assert pos == layout.layout(G, seed=7)
    assert pos != layout.layout(G, seed=8)
    # a force-directed picture: linked nodes sit closer together than nodes picked at random
    simple = analytics.simple_graph(G)
    linked = [math.dist(pos[u], pos[v]) for u, v in simple.edges()]
    nodes = sorted(simple)
    anyhow = [math.dist(pos[u], pos[v]) for i, u in enumerate(nodes) for v in nodes[i + 1 :]]
    assert sum(linked) / len(linked) < 0.6 * sum(anyhow) / len(anyhow)


def test_write_html_is_atomic(G, tmp_path):
    """A write that fails half-way (here: the file-size limit is hit) leaves the old file whole."""
    import resource
    import signal

    out = tmp_path / "v.html"
    out.write_text("previous", encoding="utf-8")
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write raises instead of killing us
    try:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, limits[1]))
        with pytest.raises(OSError):
            render.write_html(G, out)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]  # no temporary file left
    render.write_html(G, out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]
