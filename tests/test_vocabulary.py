"""network/vocabulary: the tables that restate the ontology (class order, styles, phrases, role
edges) checked against the ontology files and the bundled graph, so they cannot drift apart."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

import ip5graph
from ip5graph.kg import resources
from ip5graph.network import paths, projection, vocabulary
from ip5graph.network.vocabulary import CLASS_ORDER, CLASS_STYLE, PHRASES, ROLE_EDGES, local_name

ROLES = URIRef("https://w3id.org/ip5graph/id/scheme/roles")
# edge keys the projection makes itself by collapsing n-ary records (not ontology properties)
COLLAPSED = {"headed", "headed-acting", "stood-in-for"}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for f in resources.ontology_files():
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="module")
def bundled() -> projection.Loaded:
    return projection.load(ip5graph.open())


def test_role_edges_are_the_role_scheme(ontology: Graph) -> None:
    roles = {local_name(str(c)) for c in ontology.subjects(SKOS.inScheme, ROLES)}
    assert roles and set(ROLE_EDGES) == roles


def test_tabled_classes_are_declared_and_subclasses_come_first(ontology: Graph) -> None:
    declared = {str(c) for c in ontology.subjects(RDF.type, OWL.Class)}
    assert [c for c in [*CLASS_ORDER, *CLASS_STYLE] if c not in declared] == []
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if str(sub) in rank and str(sup) in rank:
            assert rank[str(sub)] < rank[str(sup)], f"{sub} must come before its superclass {sup}"


def test_phrases_name_ontology_properties(ontology: Graph) -> None:
    props = {
        local_name(str(p))
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
        for p in ontology.subjects(RDF.type, kind)
    }
    assert sorted(set(PHRASES) - props - COLLAPSED) == []


def test_every_node_of_the_bundled_graph_has_a_tabled_class_and_style(bundled: projection.Loaded) -> None:
    g = bundled.graph
    classes = {g.nodes[v]["cls"] for v in g}
    assert sorted(c for c in classes if c not in CLASS_STYLE or c not in vocabulary.CLASS_RANK) == []


def test_every_edge_of_the_bundled_graph_reads_as_a_tabled_phrase(bundled: projection.Loaded) -> None:
    """A participation edge by its role (ROLE_EDGES), any other edge by its key (PHRASES)."""
    untabled = {
        key
        for _, _, key, attrs in bundled.graph.edges(keys=True, data=True)
        if (attrs["role_key"] not in ROLE_EDGES if "role_key" in attrs else paths.base_key(key) not in PHRASES)
    }
    assert sorted(untabled) == []
