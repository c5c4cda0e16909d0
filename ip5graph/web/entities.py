"""The RDF graph as the site reads it: every subject's triples and back-links, labels, the entities
that get a page, the n-ary records (tenures, participations, claims) and the sources of each fact.

Why a plain index over the triples instead of the network projection: the projection collapses
records into edges and drops sources, concepts and conflicts, while an infobox needs all of them.
One pass over the store; every lookup after that is a dict access, so a page costs the same at
1e3 or 1e5 triples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ip5graph.rdf.namespaces import DCTERMS_SOURCE, ID, IP5, PREFIXES, RDF_TYPE, RDFS_LABEL

RDF = PREFIXES["rdf"]
SKOS = PREFIXES["skos"]
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
COMMENT = PREFIXES["rdfs"] + "comment"
DEFINITION = SKOS + "definition"

# Kinds of IRI that are records about other entities (statements): shown on their subject's page.
RECORD_KINDS = frozenset({"tenure", "participation", "claim", "inference", "statement", "observation", "share"})
STATED_IN = IP5 + "statedIn"
INFERRED_FROM = IP5 + "inferredFrom"
STATEMENT_PARTS = (
    (IP5 + "statementSubject", IP5 + "statementProperty", IP5 + "statementValue"),
    (RDF + "subject", RDF + "predicate", RDF + "object"),
)
CITING = (DCTERMS_SOURCE, STATED_IN, INFERRED_FROM)
# Which property of a record names the entity whose page shows it (first one found wins).
OWNER_PROPS = tuple(IP5 + p for p in ("organization", "meeting", "aboutEntity", "holder", "participant")) + (
    RDF + "subject",
    IP5 + "statementSubject",
    IP5 + "subject",
)
LANG_NAMES = {
    "en": "English",
    "ja": "日本語 (Japanese)",
    "zh": "中文 (Chinese)",
    "ko": "한국어 (Korean)",
    "": "no language given",
}
LANG_ORDER = ("en", "ja", "zh", "ko")


@dataclass(frozen=True)
class Lit:
    """A literal: lexical form, language tag, datatype IRI."""

    value: str
    lang: str = ""
    datatype: str = ""


Term = str | Lit  # an IRI is a str


def term(t: Any) -> Term | None:
    """A pyoxigraph term as an IRI string or a Lit; None for a blank node."""
    kind = type(t).__name__
    if kind == "NamedNode":
        return str(t.value)
    if kind == "Literal":
        return Lit(t.value, t.language or "", t.datatype.value if t.datatype else "")
    return None


def kind_of(iri: str) -> str:
    """'office' for .../id/office/jpo; '' outside the data namespace."""
    return iri[len(ID) :].split("/", 1)[0] if iri.startswith(ID) and "/" in iri[len(ID) :] else ""


class Index:
    """Triples bucketed by subject and by object IRI, built once per site."""

    def __init__(self, triples: Iterable[Any]) -> None:
        self.out: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        self.inc: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            s, p, o = term(t.subject), term(t.predicate), term(t.object)
            if not isinstance(s, str) or not isinstance(p, str) or o is None:
                continue
            if p == RDF_TYPE and isinstance(o, str):
                self.types[s].add(o)
                continue
            self.out[s].append((p, o))
            if isinstance(o, str):
                self.inc[o].append((s, p))
            elif p in (RDFS_LABEL, PREF_LABEL) and o.value not in self.labels[s][o.lang]:
                self.labels[s][o.lang].append(o.value)
        for subject in self.out.values():
            subject.sort(key=lambda po: (po[0], _sort_key(po[1])))
        for back in self.inc.values():
            back.sort()
        for langs in self.labels.values():
            for values in langs.values():
                values.sort()
        self.statements = self._statements()

    # -- reading -------------------------------------------------------------------------
    def values(self, s: str, p: str) -> list[Term]:
        return [o for q, o in self.out.get(s, ()) if q == p]

    def iris(self, s: str, p: str) -> list[str]:
        return [o for o in self.values(s, p) if isinstance(o, str)]

    def lits(self, s: str, p: str) -> list[Lit]:
        return [o for o in self.values(s, p) if isinstance(o, Lit)]

    def first_lit(self, s: str, p: str) -> str:
        found = self.lits(s, p)
        return found[0].value if found else ""

    def label(self, iri: str, lang: str = "en") -> str:
        """The label in `lang`, else English, else any; else the IRI's last part, readable."""
        langs = self.labels.get(iri)
        if langs:
            for key in (lang, "en", ""):
                if langs.get(key):
                    return langs[key][0]
            for key in sorted(langs):
                if langs[key]:
                    return langs[key][0]
        tail = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
        return tail.replace("-", " ")

    def alt_labels(self, iri: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for o in self.lits(iri, ALT_LABEL):
            if o.value not in found[o.lang]:
                found[o.lang].append(o.value)
        return {k: sorted(v) for k, v in sorted(found.items(), key=lambda kv: lang_key(kv[0]))}

    def sources(self, iri: str) -> list[str]:
        """The dcterms:source IRIs of a node, by source id."""
        return sorted(self.iris(iri, DCTERMS_SOURCE), key=self.source_key)

    def source_key(self, iri: str) -> tuple[str, str]:
        sid = self.first_lit(iri, IP5 + "sourceId") or iri.rsplit("/", 1)[-1]
        return (_natural(sid.lower()), iri)

    # -- what gets a page ------------------------------------------------------------------
    def is_record(self, iri: str) -> bool:
        if kind_of(iri) in RECORD_KINDS:
            return True
        return any(
            t.startswith(IP5)
            and t.rsplit("#", 1)[-1] in ("Tenure", "Participation", "Claim", "InferredClaim", "Statement")
            for t in self.types.get(iri, ())
        ) or RDF + "Statement" in self.types.get(iri, ())

    def entities(self) -> list[str]:
        """Every labelled IRI in the data namespace that is not a record: each gets a page."""
        return sorted(
            iri
            for iri, langs in self.labels.items()
            if iri.startswith(ID) and any(langs.values()) and not self.is_record(iri)
        )

    def owner(self, record: str) -> str:
        """The entity whose page shows a record ('' when none is known)."""
        for p in OWNER_PROPS:
            for o in self.iris(record, p):
                if not self.is_record(o):
                    return o
                deeper = self.owner(o)
                if deeper:
                    return deeper
        return ""

    # -- statements: a fact's own sources ----------------------------------------------------
    def _statements(self) -> dict[tuple[str, str, Term], list[str]]:
        """(s, p, o) -> the statement records that say it (ip5:statementSubject/Property/Value, or
        rdf:subject/predicate/object), and subject -> its statements, when the data has them."""
        found: dict[tuple[str, str, Term], list[str]] = defaultdict(list)
        self.statements_of: dict[str, list[str]] = defaultdict(list)
        for node, pairs in self.out.items():
            props: dict[str, Term] = {}
            for q, v in pairs:
                props.setdefault(q, v)
            for sp, pp, op in STATEMENT_PARTS:
                s, p, o = props.get(sp), props.get(pp), props.get(op)
                if isinstance(s, str) and isinstance(p, str) and o is not None:
                    found[(s, p, o)].append(node)
                    self.statements_of[s].append(node)
        return dict(found)

    def stated_in(self, statement: str) -> list[str]:
        """The sources that state a statement (ip5:statedIn, or dcterms:source on the record)."""
        found = set(self.iris(statement, STATED_IN)) | set(self.iris(statement, DCTERMS_SOURCE))
        return sorted(found, key=self.source_key)

    def statement_notes(self, statement: str) -> list[str]:
        """'preferred' / 'deprecated' (a normal rank says nothing), 'inferred'."""
        notes = []
        for rank in self.iris(statement, IP5 + "rank"):
            name = rank.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
            if name and name.lower() != "normal":
                notes.append(name)
        if any(v.value in ("true", "1") for v in self.lits(statement, IP5 + "inferred")):
            notes.append("inferred")
        return notes

    def fact_sources(self, s: str, p: str, o: Term) -> tuple[list[str], list[str], list[str]] | None:
        """(sources stating it, sources it is inferred from, notes such as 'preferred', 'inferred') of
        one triple, from its statements; None when the data has no statement for it."""
        records = self.statements.get((s, p, o))
        if not records:
            return None
        stated: set[str] = set()
        basis: set[str] = set()
        notes: list[str] = []
        for r in records:
            stated.update(self.stated_in(r))
            basis.update(self.iris(r, INFERRED_FROM))
            notes.extend(n for n in self.statement_notes(r) if n not in notes)
        return sorted(stated, key=self.source_key), sorted(basis, key=self.source_key), notes

    def record_sources(self, record: str) -> list[str]:
        """A record's own sources and those of every statement about it (a tenure's dates, ...)."""
        found = set(self.sources(record))
        for st in self.statements_of.get(record, ()):
            found.update(self.stated_in(st))
        return sorted(found, key=self.source_key)


def lang_key(lang: str) -> tuple[int, str]:
    return (LANG_ORDER.index(lang), lang) if lang in LANG_ORDER else (len(LANG_ORDER), lang)


def _natural(text: str) -> str:
    """'s9' before 's10': digits padded for sorting."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), text)


def _sort_key(o: Term) -> tuple[int, str, str]:
    return (0, o, "") if isinstance(o, str) else (1, o.value, o.lang)
