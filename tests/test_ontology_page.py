"""web/ontology.py: the site's ontology page documents every ip5: term and draws the classes."""

from __future__ import annotations

import html

import pytest

from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import load_memory
from ip5graph.rdf.namespaces import IP5
from ip5graph.web import ontology

OWL = "http://www.w3.org/2002/07/owl#"


@pytest.fixture(scope="module")
def store():
    return load_memory(Inputs.default())


def _ours(store, kind: str) -> set[str]:
    rows = store.query(f"SELECT ?t WHERE {{ ?t a <{kind}> FILTER(STRSTARTS(STR(?t), '{IP5}')) }}")
    return {row["t"].value for row in rows}


def test_every_term_has_a_row_with_its_label(store):
    text = ontology.terms_html(store)
    for _, kind in ontology.KINDS:
        for iri in _ours(store, kind):
            assert f'<tr id="{html.escape(ontology.short(iri), quote=True)}">' in text, iri
    label = next(
        iter(
            store.query(
                f"SELECT ?l WHERE {{ <{IP5}Meeting> <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                "FILTER(LANGMATCHES(LANG(?l), 'en')) }"
            )
        )
    )["l"].value
    assert f"<td>{html.escape(label)}</td>" in text
    assert "<script" not in text.lower()


def test_the_drawing_has_every_class(store):
    g = ontology.class_graph(store)
    assert _ours(store, OWL + "Class") <= set(g)
    assert g.number_of_edges() > 0
    assert all(g.nodes[v]["label"] for v in g)
    supers = {v for u, v, k in g.edges(keys=True) if k == "subClassOf" and u == IP5 + "PatentOffice"}
    stated = {
        row["c"].value
        for row in store.query(
            f"SELECT ?c WHERE {{ <{IP5}PatentOffice> <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?c FILTER(isIRI(?c)) }}"
        )
    }
    assert supers == stated and stated
