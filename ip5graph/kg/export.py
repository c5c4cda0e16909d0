"""Whole-graph exports: Turtle, N-Triples, JSON-LD, RDF/XML, and TriG with each triple in its sources' graph.

Why pyoxigraph and not rdflib: it writes every one of these formats, quickly, and with the triples
sorted first its output is byte-identical for the same input.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
SOURCES_GRAPH = "https://w3id.org/ip5graph/graph/sources/"  # + s12+s40: what several sources state together
STATED_IN, INFERRED_FROM = IP5 + "statedIn", IP5 + "inferredFrom"
_RECORD_PARTS = {IP5 + "statementSubject": "s", IP5 + "statementProperty": "p", IP5 + "statementValue": "o"}


def stated_by(triples: list[ox.Triple]) -> dict[object, set[str]]:
    """Triple (or, for a subject's own description, the subject) -> the IRIs of the sources behind it.

    Statement records (ip5:Statement: statementSubject/Property/Value, statedIn, or inferredFrom
    for an inference) give each fact triple its own sources, and a record's own triples those of
    the record. Where there is no record, the subject's dcterms:source stands for all its triples.
    """
    parts: dict[object, dict[str, Any]] = {}  # statement record -> {"s", "p", "o": the fact's terms}
    record_sources: dict[object, set[str]] = {}
    by_subject: dict[object, set[str]] = {}
    for t in triples:
        p = t.predicate.value
        if p in _RECORD_PARTS:
            parts.setdefault(t.subject, {})[_RECORD_PARTS[p]] = t.object
        elif p in (STATED_IN, INFERRED_FROM) and isinstance(t.object, ox.NamedNode):
            record_sources.setdefault(t.subject, set()).add(t.object.value)
        elif p == DCTERMS_SOURCE and isinstance(t.object, ox.NamedNode):
            by_subject.setdefault(t.subject, set()).add(t.object.value)
    out: dict[object, set[str]] = dict(by_subject)
    for node, srcs in record_sources.items():
        out.setdefault(node, set()).update(srcs)  # the record's own triples
        fact = parts.get(node, {})
        if {"s", "p", "o"} <= fact.keys():
            out.setdefault(ox.Triple(fact["s"], fact["p"], fact["o"]), set()).update(srcs)
    return out


def source_graphs(triples: list[ox.Triple]) -> list[ox.Quad]:
    """Each triple in exactly one named graph: the graph of the source(s) that state it.

    Stated by one source: that source's own IRI as the graph. By several: one graph named for all
    of them, <https://w3id.org/ip5graph/graph/sources/s12+s40> (local names, sorted). A source
    node's own description goes in its own graph; triples no source stands behind (the ontology
    and vocabularies) go in <https://w3id.org/ip5graph/graph/ontology>. No triple is in two
    graphs, so a store whose default graph is the union of the named graphs shows each triple once.
    Who states a triple: its statement records, else its subject's dcterms:source (stated_by).
    """
    sources = stated_by(triples)
    is_source = {
        t.subject for t in triples if t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(IP5 + "Source")
    }
    names: dict[frozenset[str], ox.NamedNode] = {}
    quads = []
    for t in triples:
        if t.subject in is_source and isinstance(t.subject, ox.NamedNode):
            graph = t.subject
        else:
            key = frozenset(sources.get(t) or sources.get(t.subject) or ())
            graph = names.get(key) or names.setdefault(key, _graph_of(key))
        quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
    return quads


def _graph_of(stated_by: frozenset[str]) -> ox.NamedNode:
    if not stated_by:
        return ox.NamedNode(ONTOLOGY_GRAPH)
    if len(stated_by) == 1:
        return ox.NamedNode(next(iter(stated_by)))
    return ox.NamedNode(SOURCES_GRAPH + "+".join(sorted(iri.rstrip("/").rsplit("/", 1)[-1] for iri in stated_by)))


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
