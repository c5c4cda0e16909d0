"""RDF terms as pyoxigraph objects: one term model for both engines, without importing rdflib.

Results of the rdflib engine are converted into pyoxigraph terms, so that every writer and
every comparison works on one kind of object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from ip5graph.rdf.namespaces import ID, PREFIXES, prefixes_for

XSD_STRING = PREFIXES["xsd"] + "string"
_LOCAL_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

Term = ox.NamedNode | ox.BlankNode | ox.Literal

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from rdflib.term import Identifier


def from_rdflib(term: object) -> Term | None:
    """An rdflib term as a pyoxigraph term (None stays None)."""
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef  # only called by the rdflib engine

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unexpected term {term!r}")


def to_rdflib(term: Term | None) -> Identifier | None:
    """A pyoxigraph term as an rdflib term (for initBindings)."""
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == XSD_STRING else dt)


def compact(iri: str) -> str:
    """A prefixed name for an IRI where one reads well (office:jpo, ip5:Meeting), else the IRI."""
    if iri.startswith(ID):
        rest = iri[len(ID) :]
        kind, sep, local = rest.partition("/")
        if sep and _LOCAL_OK.match(local) and "/" not in local:
            return f"{kind}:{local}"
    for prefix, ns in PREFIXES.items():
        if prefix != "id" and iri.startswith(ns):
            local = iri[len(ns) :]
            if _LOCAL_OK.match(local):
                return f"{prefix}:{local}"
    return iri


def sort_key(term: Term | ox.Triple | ox.DefaultGraph | None) -> tuple[int, str, str]:
    """A total order on terms (for deterministic output and engine comparisons)."""
    if term is None:
        return (0, "", "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value, "")
    if isinstance(term, ox.NamedNode):
        return (2, term.value, "")
    if isinstance(term, ox.Literal):
        return (3, term.value, term.language or term.datatype.value)
    return (4, str(term), "")  # a quoted triple, or the default graph


def triple_key(t: ox.Triple | ox.Quad) -> tuple:
    """A total order on triples, and on quads by graph first (for deterministic output)."""
    base = (sort_key(t.subject), sort_key(t.predicate), sort_key(t.object))
    if isinstance(t, ox.Quad):
        return (sort_key(t.graph_name), *base)
    return base


def prefixes_used(items: Iterable[ox.Triple | ox.Quad]) -> dict[str, str]:
    """The prefixes of prefixes_for that the IRIs and datatypes of these triples or quads use."""
    used: set[str] = set()
    for t in items:
        for x in (t.subject, t.predicate, t.object, getattr(t, "graph_name", None)):
            if isinstance(x, ox.NamedNode):
                used.add(x.value)
            elif isinstance(x, ox.Literal):
                used.add(x.datatype.value)
    return {p: ns for p, ns in prefixes_for(used).items() if any(u.startswith(ns) for u in used)}


def rdf_bytes(
    items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """ox.serialize into bytes (it returns None only when it is given a file to write)."""
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    if data is None:  # pragma: no cover - no output file is passed
        raise RuntimeError("pyoxigraph.serialize returned nothing")
    return data


def pick_label(literals: Iterable[tuple[str, str]], lang: str = "en") -> str | None:
    """The one label picker, for (text, language) pairs: the language asked for (English by default),
    then its regional forms (en-GB), then no language, then any other (sorted, so the choice is stable)."""
    best: tuple[int, str, str] | None = None
    for value, tag in literals:
        rank = 0 if tag == lang else 1 if tag.startswith(lang + "-") else 2 if not tag else 3
        cand = (rank, tag, value)
        if best is None or cand < best:
            best = cand
    return best[2] if best else None
