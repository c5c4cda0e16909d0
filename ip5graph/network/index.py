"""One pass over the triples: terms of either RDF library read alike, bucketed by subject with labels.

Why: the projection reads every subject's types, values and labels many times; bucketing them
once keeps it linear in the number of triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pyoxigraph as ox

from ip5graph.network.vocabulary import (
    ALT_LABEL,
    ID,
    LABEL,
    PREF_LABEL,
    SOURCE,
    TYPE,
    humanize,
    local_name,
    slug_of,
    undescribed_entity,
)
from ip5graph.rdf.terms import from_rdflib, pick_label


@dataclass
class SubjectFacts:
    """What one pass over the triples learns about one subject."""

    types: set[str] = field(default_factory=set)
    out: list[tuple[str, Any]] = field(default_factory=list)  # (predicate, object term)


class Lit(NamedTuple):
    """A literal as the projection keeps it: hashable, and str() is its text (an ox.Literal's str() is
    its N-Triples form). Made only by term(), from the one term model (rdf.terms: pyoxigraph terms)."""

    value: str
    lang: str
    datatype: str

    def __str__(self) -> str:
        return self.value


def term(t: Any) -> str | Lit | None:
    """A pyoxigraph term (an rdflib one is converted by rdf.terms.from_rdflib) as an IRI string, a Lit,
    or None for a blank node."""
    if type(t) is str or isinstance(t, Lit):  # already converted (rdflib's terms are str subclasses)
        return t
    if not isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)) and t is not None:
        t = from_rdflib(t)
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.Literal):
        return Lit(t.value, t.language or "", t.datatype.value)
    return None


def triples_of(source: Any, subject: str | None = None, predicate: str | None = None) -> Iterator[tuple[Any, Any, Any]]:
    """(s, p, o) from an rdflib Graph, a pyoxigraph Store or any iterable of triples/quads; with a
    subject or predicate IRI, only those triples (a store or rdflib graph finds them by its index)."""
    if hasattr(source, "quads_for_pattern"):
        s, p = (ox.NamedNode(i) if i is not None else None for i in (subject, predicate))
        for q in source.quads_for_pattern(s, p, None, None):
            yield q.subject, q.predicate, q.object
        return
    if (subject is not None or predicate is not None) and hasattr(source, "triples"):
        from rdflib import URIRef

        yield from source.triples(tuple(URIRef(i) if i is not None else None for i in (subject, predicate, None)))
        return
    for t in source:
        s_, p_, o_ = (t.subject, t.predicate, t.object) if hasattr(t, "subject") else (t[0], t[1], t[2])
        if (subject is None or term(s_) == subject) and (predicate is None or term(p_) == predicate):
            yield s_, p_, o_


def is_iri(o: Any) -> bool:
    return isinstance(o, str)


def is_literal(o: Any) -> bool:
    return isinstance(o, Lit)


def lex(o: Any) -> str:
    return o.value if isinstance(o, Lit) else str(o)


def lang_of(o: Any) -> str:
    return o.lang if isinstance(o, Lit) else ""


def label_in(labels: Mapping[str, list[str]], lang: str = "en") -> str:
    """rdf.terms.pick_label over labels grouped by language ("" when there are none)."""
    return pick_label(((text, tag) for tag, texts in labels.items() for text in texts), lang) or ""


class Index:
    """The triples bucketed by subject, with labels of everything, built in one pass."""

    def __init__(
        self, triples: Iterable[tuple[Any, Any, Any]], vocabulary: Mapping[str, Mapping[str, list[str]]] | None = None
    ) -> None:
        self.terms: dict[str, SubjectFacts] = defaultdict(SubjectFacts)
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s_, p_, o_ in triples:
            si, pi, o = term(s_), term(p_), term(o_)
            if not isinstance(si, str) or not isinstance(pi, str) or o is None:
                continue
            entry = self.terms[si]
            if pi == TYPE:
                if isinstance(o, str):
                    entry.types.add(o)
                continue
            entry.out.append((pi, o))
            if (pi == LABEL or pi == PREF_LABEL) and is_literal(o):
                bucket = self.labels[si][lang_of(o)]
                if str(o) not in bucket:
                    bucket.append(str(o))
        for langs in self.labels.values():
            for values in langs.values():
                values.sort()
        for iri, vocab_langs in (vocabulary or {}).items():
            if iri not in self.labels:
                self.labels[iri] = defaultdict(list, {k: list(v) for k, v in vocab_langs.items()})

    def names(self, iri: str, lang: str = "en") -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
        """A node's labels and alternative labels, by language (both sorted), and its display label
        (its slug when it has none): what the projection shows and what name lookup matches."""
        labels = {k: list(v) for k, v in sorted(self.labels.get(iri, {}).items())}
        alt: dict[str, list[str]] = defaultdict(list)
        for p, o in self.terms[iri].out if iri in self.terms else ():
            if p == ALT_LABEL and is_literal(o):
                alt[lang_of(o)].append(str(o))
        return labels, {k: sorted(set(v)) for k, v in sorted(alt.items())}, label_in(labels, lang) or slug_of(iri)

    def label(self, iri: str, lang: str = "en") -> str:
        labels = self.labels.get(iri)
        found = label_in(labels, lang) if labels else ""
        if found:
            return found
        return slug_of(iri) if iri.startswith(ID) else humanize(local_name(iri))

    def types(self, iri: str) -> set[str]:
        term = self.terms.get(iri)
        return term.types if term else set()

    def values(self, iri: str, prop: str) -> list[Any]:
        term = self.terms.get(iri)
        if not term:
            return []
        return [o for p, o in term.out if p == prop]

    def first(self, iri: str, prop: str) -> Any:
        found = self.values(iri, prop)
        return min(found, key=str) if found else None


def pointed_at(
    nodes: Iterable[str], out: Callable[[str], Iterable[tuple[str, Any]]], described: Callable[[str], bool]
) -> set[str]:
    """The IRIs the nodes point at (`out`: a node's (predicate, object) pairs, types left out) that
    have no triples of their own and are still entities (vocabulary.undescribed_entity): partial
    data and query results draw them as nodes. One rule for the projection and for name lookup."""
    found: set[str] = set()
    for iri in nodes:
        for p, o in out(iri):
            if is_iri(o) and p != SOURCE and undescribed_entity(str(o)) and not described(str(o)):
                found.add(str(o))
    return found


def literal_text(o: Any) -> str:
    text = lex(o)
    lang = lang_of(o)
    return f"{text} ({lang})" if lang and lang != "en" else text
