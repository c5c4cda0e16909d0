"""Whole-graph exports: Turtle, N-Triples, JSON-LD, RDF/XML, and TriG with one graph per source.

Why pyoxigraph and not rdflib: it writes every one of these formats, quickly, and with the triples
sorted first its output is byte-identical for the same input.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ip5graph.errors import UsageError
from ip5graph.rdf.namespaces import DCTERMS_SOURCE, IP5, RDF_TYPE
from ip5graph.rdf.terms import prefixes_used, rdf_bytes, triple_key

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}
ONTOLOGY_GRAPH = "https://w3id.org/ip5graph/graph/ontology"


def source_graphs(triples: list[ox.Triple]) -> list[ox.Quad]:
    """Each triple in the named graph of each source of its subject.

    A source node's own triples go in its own graph; triples of subjects without a source
    (the ontology and vocabularies) go in the graph <https://w3id.org/ip5graph/graph/ontology>.
    """
    sources: dict[object, set[str]] = {}
    is_source = set()
    for t in triples:
        if t.predicate.value == DCTERMS_SOURCE and isinstance(t.object, ox.NamedNode):
            sources.setdefault(t.subject, set()).add(t.object.value)
        elif t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(IP5 + "Source"):
            is_source.add(t.subject)
    quads = []
    for t in triples:
        if t.subject in is_source and isinstance(t.subject, ox.NamedNode):
            graphs = {t.subject.value}
        else:
            graphs = sources.get(t.subject) or {ONTOLOGY_GRAPH}
        for g in graphs:
            quads.append(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)))
    return quads


def export_text(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """The graph in one of FORMATS, sorted, with the prefixes it uses."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format '{fmt}'; use one of {', '.join(FORMATS)}")
    items: list[ox.Triple] = list(set(triples))
    data: list = source_graphs(items) if fmt == "trig" else items
    data.sort(key=triple_key)  # once, after the quads are made: the order of `items` does not matter
    prefixes = prefixes_used(data) if fmt in ("ttl", "trig", "xml") else None
    return rdf_bytes(data, FORMATS[fmt], prefixes)


def triples_of(store: ox.Store) -> list[ox.Triple]:
    """The default-graph triples of a store."""
    return [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
