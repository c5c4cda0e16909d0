"""ip5graph.network: the projection of the hand-written fixture, analytics and explained paths."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from netgraph import FILES, fixture_rdf

from ip5graph.network import analytics, navigation, paths, projection
from ip5graph.rdf.namespaces import ID, IP5


def node(slug: str) -> str:
    return ID + slug


@pytest.fixture(scope="module")
def rdf() -> rdflib.Graph:
    return fixture_rdf()


@pytest.fixture(scope="module")
def G(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return net


def test_entities_become_nodes_and_sources_concepts_records_do_not(G):
    kinds = sorted({G.nodes[v]["kind"] for v in G})
    assert kinds == [
        "association",
        "conflict",
        "document",
        "forum",
        "initiative",
        "meeting",
        "office",
        "organization",
        "person",
        "place",
        "working-group",
    ]
    assert len(G) == 25
    assert not any(
        "/source/" in v or "/tenure/" in v or "/participation/" in v or "/role/" in v or "/claim/" in v for v in G
    )


def test_node_attributes_carry_labels_dates_facts_and_sources(G):
    jpo = G.nodes[node("office/jpo")]
    assert jpo["label"] == "Japan Patent Office"
    assert jpo["labels"] == {"en": ["Japan Patent Office"], "ja": ["特許庁"]}
    assert jpo["cls"] == IP5 + "PatentOffice"  # wins over org:FormalOrganization
    assert jpo["cls_label"] == "patent office"
    assert ["abbreviation", "JPO"] in jpo["facts"]
    assert jpo["sources"] == [node("source/s00a")]
    src = navigation.sources_of(G, jpo["sources"])[0]
    assert (src["id"], src["tier"], src["address"]) == (
        "S00a",
        "official",
        "https://www.jpo.go.jp/e/news/kokusai/ip5/index.html",
    )
    kasutani = G.nodes[node("person/kasutani-toshihide")]
    assert kasutani["alt_labels"] == {"en": ["Toshihide Kasutani"]}
    meeting = G.nodes[node("meeting/heads-2021")]
    assert meeting["dates"] == {
        "seriesEndDate": ["2021-06-23"],
        "seriesStartDate": ["2021-06-22"],
        "startDate": ["2021-06-23"],
    }
    assert ["meeting format", "videoconference"] in meeting["facts"]


def test_tenures_and_participations_collapse_into_labelled_edges(G):
    k, jpo, m21 = node("person/kasutani-toshihide"), node("office/jpo"), node("meeting/heads-2021")
    headed = G.edges[k, jpo, "headed"]
    assert headed["label"] == "headed" and headed["acting"] is False
    assert headed["startDate"] == ["2020-07-20"] and headed["title"] == "Commissioner"
    assert headed["sources"] == [node("source/s61")]
    acting = G.edges[node("person/drew-hirshfeld"), node("office/uspto"), "headed-acting"]
    assert acting["label"] == "headed (acting)" and acting["acting"] is True
    chaired = G.edges[k, m21, "chaired"]
    assert chaired["label"] == "chaired" and chaired["representing"] == "Japan Patent Office"
    # the direct ip5:chair link says the same as the chair participation: drawn once
    assert not G.has_edge(m21, k)
    # ... but where no participation exists, ip5:chair stays
    assert G.has_edge(node("meeting/heads-2020"), node("person/shen-changyu"), "chair")
    # on-behalf-of becomes its own edge
    assert G.has_edge(node("person/lisa-jorgenson"), node("person/daren-tang"), "stood-in-for")


def test_inverse_properties_are_drawn_once(G):
    m20, m21 = node("meeting/heads-2020"), node("meeting/heads-2021")
    assert list(G[m20][m21]) == ["nextMeeting"]
    assert not G.has_edge(m21, m20)


def test_claims_attach_to_the_entity_and_its_conflict(G):
    claims = G.nodes[node("meeting/heads-2020")]["claims"]
    assert [(c["value"], c["preferred"]) for c in claims] == [("2020-07-21", True), ("2020-07-22", False)]
    assert len(G.nodes[node("conflict/c2")]["claims"]) == 2
    inferred = G.nodes[node("meeting/heads-2022")]["claims"]
    assert inferred[0]["inferred"] is True and inferred[0]["aspect"] == "ordinal"


def test_keep_nary_keeps_records_as_nodes(rdf):
    g = projection.project(rdf, keep_nary=True)
    assert len(g) == 25 + 5 + 5
    t = node("tenure/jpo-kasutani-toshihide")
    assert g.has_edge(t, node("person/kasutani-toshihide"), "holder")
    assert g.has_edge(t, node("office/jpo"), "organization")


def test_rdflib_and_pyoxigraph_give_the_same_projection(G):
    store = ox.Store()
    for f in FILES:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    g2 = projection.project(store)
    assert list(G.nodes(data=True)) == list(g2.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(g2.edges(keys=True, data=True))


def test_resolve_by_slug_label_any_language_and_prefixed_name(G):
    k = node("person/kasutani-toshihide")
    for name in (
        "kasutani-toshihide",
        "person/kasutani-toshihide",
        "Kasutani Toshihide",
        "糟谷敏秀",
        "toshihide kasutani",
        k,
    ):
        assert navigation.resolve(G, name) == k
    assert navigation.resolve_quiet(G, "meeting:heads-2021") == node("meeting/heads-2021")
    assert navigation.resolve_quiet(G, "nobody") is None
    with pytest.raises(navigation.EntityNotFound, match="no entity"):
        navigation.resolve(G, "nobody")


def test_resolve_reports_ambiguous_names():
    g = nx.MultiDiGraph()
    for slug in ("office/x", "person/x"):
        g.add_node(ID + slug, slug=slug, labels={"en": ["X"]}, alt_labels={})
    with pytest.raises(navigation.EntityNotFound, match="ambiguous: office/x, person/x"):
        navigation.resolve(g, "x")


def test_neighbourhood_by_depth(G):
    jpo = node("office/jpo")
    assert sorted(navigation.neighbourhood(G, jpo, 0)) == [jpo]
    one = navigation.neighbourhood(G, jpo, 1)
    assert sorted(G.nodes[v]["slug"] for v in one) == [
        "forum/ip5",
        "meeting/heads-2021",
        "office/jpo",
        "person/kasutani-toshihide",
    ]
    assert len(navigation.neighbourhood(G, jpo, 2)) > len(one)


def test_shortest_path_in_words(G):
    steps = paths.shortest_path(G, node("person/kasutani-toshihide"), node("meeting/heads-2022"))
    assert paths.explain(G, steps) == (
        "Kasutani Toshihide chaired 14th IP5 Heads meeting, which was followed by 15th IP5 Heads meeting"
    )
    steps = paths.shortest_path(G, node("person/lisa-jorgenson"), node("office/cnipa"))
    assert paths.explain(G, steps) == (
        "Lisa Jorgenson attended 14th IP5 Heads meeting as an observer, which followed 13th IP5 Heads "
        "meeting, which was hosted by China National Intellectual Property Administration"
    )
    steps = paths.shortest_path(G, node("office/jpo"), node("person/kasutani-toshihide"))
    assert paths.explain(G, steps) == "Japan Patent Office was headed by Kasutani Toshihide"
    assert paths.shortest_path(G, node("office/jpo"), node("office/jpo")) == []


def test_no_path_between_separate_parts():
    g = nx.MultiDiGraph()
    g.add_node("a", label="A")
    g.add_node("b", label="B")
    assert paths.shortest_path(g, "a", "b") is None


def test_centrality_and_communities(G):
    top = analytics.top_entities(G, 3)
    assert top[0]["slug"] == "meeting/heads-2021"
    deg = analytics.degree_centrality(G)
    # heads-2021: host JPO, 2 meetings, 5 participants, outcome, side meeting = 10 distinct neighbours
    assert deg[node("meeting/heads-2021")] == pytest.approx(10 / 24)
    groups = analytics.communities(G)
    assert sorted(v for c in groups for v in c) == sorted(G)
    assert groups == analytics.communities(G)


def test_query_results_as_graphs(G, rdf):
    # a SELECT naming a tenure record shows the two entities it joins
    sub = navigation.select_graph(
        G, [node("tenure/jpo-kasutani-toshihide"), node("meeting/heads-2021"), node("source/s61")]
    )
    assert sorted(G.nodes[v]["slug"] for v in sub) == ["meeting/heads-2021", "office/jpo", "person/kasutani-toshihide"]
    assert sub.number_of_edges() == 3  # headed, chaired, hosted by
    # a CONSTRUCT result: its own triples, projected with the full graph's labels
    m = rdflib.URIRef(node("meeting/heads-2020"))
    triples = list(rdf.triples((m, None, None)))
    con = navigation.construct_graph(G, triples)
    assert sorted(G.nodes[v]["slug"] for v in con) == [
        "meeting/heads-2020",
        "meeting/heads-2021",
        "office/cnipa",
        "person/shen-changyu",
        "place/chengdu",
    ]
    assert con.edges[node("meeting/heads-2020"), node("office/cnipa"), "host"]["label"] == "hosted by"
    assert con.nodes[node("office/cnipa")]["labels"]["zh"] == ["国家知识产权局"]
