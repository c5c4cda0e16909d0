"""RDF graph -> networkx MultiDiGraph projection, and the analytics run on it.

Why a projection: people read a network of entities (offices, people, meetings), not triples.
Sources, SKOS concepts and ontology terms are not entities: they become attributes. Tenures and
participations are n-ary records; by default each collapses into one labelled edge
(person -headed-> office, person -chaired-> meeting) carrying its dates and sources.

Everything here is linear in the number of triples (one pass to bucket them) except betweenness,
which is exact only on small graphs and sampled (seeded) above that.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, NamedTuple

import networkx as nx

from ip5graph.rdf.namespaces import DCTERMS_SOURCE, ID, IP5, PREFIXES, RDF_TYPE, RDFS_LABEL

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
FOAF = PREFIXES["foaf"]
SH = PREFIXES["sh"]

TYPE = RDF_TYPE
LABEL = RDFS_LABEL
COMMENT = RDFS + "comment"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
SOURCE = DCTERMS_SOURCE

SOURCE_CLASS = IP5 + "Source"
TENURE = IP5 + "Tenure"
PARTICIPATION = IP5 + "Participation"
CLAIM = IP5 + "Claim"
INFERRED_CLAIM = IP5 + "InferredClaim"
PERSON = FOAF + "Person"

# Classes whose instances are never graph nodes (they describe terms, not the world).
_META_CLASSES = {
    OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
    OWL + "Ontology", OWL + "TransitiveProperty", OWL + "SymmetricProperty", OWL + "FunctionalProperty",
    RDFS + "Class", RDFS + "Datatype", RDF + "Property", SKOS + "Concept", SKOS + "ConceptScheme",
    SH + "NodeShape", SH + "PropertyShape",
}
_META_NAMESPACES = (OWL, RDFS, RDF, SH, PREFIXES["xsd"])

# The most specific class wins when a node has several types (e.g. ip5:PatentOffice and
# org:FormalOrganization); anything not listed comes after, in IRI order.
CLASS_ORDER = [
    IP5 + "HeadsMeeting", IP5 + "HeadsIndustryMeeting", IP5 + "DeputyHeadsMeeting", IP5 + "Meeting",
    IP5 + "PatentOffice", IP5 + "InternationalOrganization", IP5 + "IndustryAssociation",
    IP5 + "Forum", IP5 + "WorkingGroup", PERSON, IP5 + "Initiative", IP5 + "OutcomeDocument",
    IP5 + "Aim", IP5 + "Place", IP5 + "NameChange", IP5 + "ApplicationShare", IP5 + "Conflict",
    TENURE, PARTICIPATION, INFERRED_CLAIM, CLAIM, SOURCE_CLASS,
]
_CLASS_RANK = {c: i for i, c in enumerate(CLASS_ORDER)}

_VOCAB_KINDS = {"role", "format", "kind", "tier", "scheme"}
# IRIs of these kinds are never entities, even when a partial graph does not type them
_NOT_ENTITY_KINDS = _VOCAB_KINDS | {"source", "claim", "inference", "tenure", "participation"}

DATE_PROPERTIES = (
    "startDate", "endDate", "date", "seriesStartDate", "seriesEndDate", "foundingDate", "inOfficeOn",
)

# How an edge reads in a sentence, forwards (subject -> object) and backwards.
# Keys are edge keys: the property's local name, or the collapsed n-ary edge's key.
PHRASES: dict[str, tuple[str, str]] = {
    "host": ("was hosted by", "hosted"),
    "chair": ("was chaired by", "chaired"),
    "place": ("was held in", "was the venue of"),
    "plannedPlace": ("was originally planned for", "was the originally planned venue of"),
    "nextMeeting": ("was followed by", "followed"),
    "previousMeeting": ("followed", "was followed by"),
    "partOfSeries": ("was held alongside", "had alongside it"),
    "outcomeOf": ("came out of", "produced"),
    "hasOutcome": ("produced", "came out of"),
    "leadOffice": ("is led by", "leads"),
    "memberOf": ("is a member of", "has as a member"),
    "subOrganizationOf": ("is part of", "includes"),
    "headquarters": ("has its seat in", "is the seat of"),
    "partOf": ("is part of", "includes"),
    "relatedTo": ("is related to", "is related to"),
    "hasAim": ("has the aim", "is an aim of"),
    "affectedOrganization": ("renamed", "was renamed by"),
    "subject": ("is about", "is the subject of"),
    "concerns": ("concerns", "is the subject of"),
    "exactMatch": ("is the same as", "is the same as"),
    "headed": ("headed", "was headed by"),
    "headed-acting": ("headed (acting)", "was headed (acting) by"),
    "stood-in-for": ("stood in for", "was represented by"),
    "holder": ("was held by", "held"),
    "organization": ("was at", "had"),
    "participant": ("had as participant", "took part as"),
    "meeting": ("was in", "had"),
    "representing": ("was for", "was represented in"),
    "onBehalfOf": ("was on behalf of", "was represented in"),
}

# Collapsed participation edges: role local name -> (edge label, forwards, backwards phrase);
# '{}' marks where the other end goes.
ROLE_EDGES: dict[str, tuple[str, str, str]] = {
    "chair": ("chaired", "chaired {}", "was chaired by {}"),
    "co-chair": ("co-chaired", "co-chaired {}", "was co-chaired by {}"),
    "head-of-delegation": ("attended (head of delegation)", "attended {} as head of delegation",
                           "was attended by {} as head of delegation"),
    "acting-head-of-delegation": ("attended (acting head of delegation)",
                                  "attended {} as acting head of delegation",
                                  "was attended by {} as acting head of delegation"),
    "representative": ("attended (representative)", "attended {} as a representative",
                       "was attended by {} as a representative"),
    "observer": ("attended (observer)", "attended {} as an observer", "was attended by {} as an observer"),
    "industry-representative": ("attended (industry)", "attended {} for industry",
                                "was attended by {} for industry"),
    "participant": ("attended", "attended {}", "was attended by {}"),
}


def local_name(iri: str) -> str:
    """The part after the last '#' or '/': the key used for edges and facts."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@lru_cache(maxsize=4096)
def humanize(name: str) -> str:
    """camelCase -> 'camel case', used when the ontology gives no label."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").lower()


def slug_of(iri: str) -> str:
    """'office/jpo' for a data IRI; the whole IRI for anything else."""
    return iri.removeprefix(ID)


@dataclass
class _Term:
    """What one pass over the triples learns about one subject."""

    types: set[str] = field(default_factory=set)
    out: list[tuple[str, Any]] = field(default_factory=list)   # (predicate, object term)


class Lit(NamedTuple):
    """A literal, whichever RDF library it came from."""

    value: str
    lang: str
    datatype: str

    def __str__(self) -> str:
        return self.value


def term(t: Any) -> str | Lit | None:
    """An rdflib or pyoxigraph term as an IRI string, a Lit, or None for a blank node."""
    kind = type(t).__name__
    if kind in ("URIRef", "NamedNode"):
        return t.value if kind == "NamedNode" else str(t)
    if kind == "Literal":
        if hasattr(t, "value") and not hasattr(t, "toPython"):   # pyoxigraph
            return Lit(t.value, t.language or "", t.datatype.value if t.datatype else "")
        return Lit(str(t), t.language or "", str(t.datatype) if t.datatype else "")
    if isinstance(t, (str, Lit)):
        return t
    return None


def triples_of(source: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(s, p, o) from an rdflib Graph, a pyoxigraph Store or any iterable of triples/quads."""
    if hasattr(source, "quads_for_pattern"):
        for q in source.quads_for_pattern(None, None, None, None):
            yield q.subject, q.predicate, q.object
        return
    for t in source:
        if hasattr(t, "subject"):
            yield t.subject, t.predicate, t.object
        else:
            yield t[0], t[1], t[2]


def _is_iri(o: Any) -> bool:
    return isinstance(o, str)


def _is_literal(o: Any) -> bool:
    return isinstance(o, Lit)


def _lex(o: Any) -> str:
    return o.value if isinstance(o, Lit) else str(o)


def _lang(o: Any) -> str:
    return o.lang if isinstance(o, Lit) else ""


def _pick_label(labels: dict[str, list[str]], lang: str = "en") -> str:
    if labels.get(lang):
        return labels[lang][0]
    if labels.get(""):
        return labels[""][0]
    for key in sorted(labels):
        if labels[key]:
            return labels[key][0]
    return ""


class _Index:
    """The triples bucketed by subject, with labels of everything, built in one pass."""

    def __init__(self, triples: Iterable[tuple[Any, Any, Any]],
                 vocabulary: Mapping[str, Mapping[str, list[str]]] | None = None) -> None:
        self.terms: dict[str, _Term] = defaultdict(_Term)
        self.labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s_, p_, o_ in triples:
            si, pi, o = term(s_), term(p_), term(o_)
            if not isinstance(si, str) or not isinstance(pi, str) or o is None:
                continue
            entry = self.terms[si]
            if pi == TYPE:
                if _is_iri(o):
                    entry.types.add(o)
                continue
            entry.out.append((pi, o))
            if (pi == LABEL or pi == PREF_LABEL) and _is_literal(o):
                bucket = self.labels[si][_lang(o)]
                if str(o) not in bucket:
                    bucket.append(str(o))
        for langs in self.labels.values():
            for values in langs.values():
                values.sort()
        for iri, langs in (vocabulary or {}).items():
            if iri not in self.labels:
                self.labels[iri] = defaultdict(list, {k: list(v) for k, v in langs.items()})

    def label(self, iri: str, lang: str = "en") -> str:
        labels = self.labels.get(iri)
        found = _pick_label(labels, lang) if labels else ""
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


def main_class(types: Iterable[str]) -> str:
    """The most specific known class of a node, or '' when it has no type."""
    ranked = sorted(types, key=lambda c: (_CLASS_RANK.get(c, len(CLASS_ORDER)), c))
    return ranked[0] if ranked else ""


def _is_meta(types: set[str], iri: str) -> bool:
    return bool(types & _META_CLASSES) or iri.startswith(_META_NAMESPACES)


def _literal_text(o: Any) -> str:
    text = _lex(o)
    lang = _lang(o)
    return f"{text} ({lang})" if lang and lang != "en" else text


def project(
    graph: Any,
    *,
    keep_nary: bool = False,
    lang: str = "en",
    vocabulary: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> nx.MultiDiGraph:
    """Project an RDF graph (rdflib Graph, pyoxigraph Store, or triples) into a MultiDiGraph.

    Node ids are IRIs. Node attributes: iri, slug, kind, label, labels {lang: [..]},
    alt_labels {lang: [..]}, cls, cls_label, comment, dates {prop: [..]}, facts [[prop, value]],
    sources (source IRIs, details in G.graph['sources']), claims [dict]. Edge keys are property
    local names (or 'headed', 'chair' ... for collapsed records); edge attributes: label, prop,
    and for collapsed records their dates, title, acting, sources and the record's iri.
    G.graph['vocabulary'] keeps the labels of the terms (classes, properties, concepts), so a
    projection of a query's triples can reuse them (`vocabulary=`).
    """
    index = _Index(triples_of(graph), vocabulary)
    return _Projector(index, keep_nary=keep_nary, lang=lang).run()


class _Projector:
    def __init__(self, index: _Index, *, keep_nary: bool, lang: str) -> None:
        self.ix = index
        self.keep_nary = keep_nary
        self.lang = lang
        self.sources: dict[str, dict[str, str]] = {}

    # -- classification -------------------------------------------------------------------
    def _classify(self) -> tuple[list[str], set[str], set[str], list[str], list[str]]:
        nodes, nary, claims = set(), set(), set()
        tenures, participations = [], []
        for iri in sorted(self.ix.terms):
            types = self.ix.terms[iri].types
            if not types or _is_meta(types, iri):
                continue
            if SOURCE_CLASS in types:
                self.sources[iri] = self._source(iri)
            elif CLAIM in types or INFERRED_CLAIM in types:
                claims.add(iri)
            elif TENURE in types or PARTICIPATION in types:
                nary.add(iri)
                (tenures if TENURE in types else participations).append(iri)
                if self.keep_nary:
                    nodes.add(iri)
            else:
                nodes.add(iri)
        # IRIs that entities point at without describing them (partial data, query results)
        for iri in sorted(nodes):
            for p, o in self.ix.terms[iri].out:
                if _is_iri(o) and p not in (SOURCE,):
                    oi = str(o)
                    if (oi.startswith(ID) and oi not in self.ix.terms and oi not in nodes
                            and slug_of(oi).split("/")[0] not in _NOT_ENTITY_KINDS):
                        nodes.add(oi)
        return sorted(nodes), nary, claims, tenures, participations

    def _source(self, iri: str) -> dict[str, str]:
        tier = self.ix.first(iri, IP5 + "tier")
        address = self.ix.first(iri, IP5 + "address")
        sid = self.ix.first(iri, IP5 + "sourceId")
        publisher = self.ix.first(iri, IP5 + "publisher")
        return {
            "iri": iri,
            "id": str(sid) if sid is not None else slug_of(iri).split("/")[-1],
            "label": self.ix.label(iri, self.lang),
            "tier": self.ix.label(str(tier), self.lang) if tier is not None else "",
            "address": str(address) if address is not None else "",
            "publisher": str(publisher) if publisher is not None else "",
        }

    def _sources_of(self, iri: str) -> list[str]:
        found = {str(o) for o in self.ix.values(iri, SOURCE) if _is_iri(o)}
        return sorted(found, key=lambda s: (self.sources.get(s, {}).get("id", s).lower(), s))

    # -- nodes ----------------------------------------------------------------------------
    def _node_attrs(self, iri: str, nodes: set[str]) -> dict[str, Any]:
        term = self.ix.terms.get(iri, _Term())
        cls = main_class(term.types)
        labels = {k: list(v) for k, v in sorted(self.ix.labels.get(iri, {}).items())}
        alt: dict[str, list[str]] = defaultdict(list)
        dates: dict[str, list[str]] = defaultdict(list)
        facts: list[list[str]] = []
        comment = ""
        for p, o in term.out:
            name = local_name(p)
            if p in (LABEL, PREF_LABEL, SOURCE, IP5 + "hasClaim"):
                continue
            if p == ALT_LABEL and _is_literal(o):
                alt[_lang(o)].append(str(o))
            elif p == COMMENT and _is_literal(o):
                if _lang(o) in ("en", "") and (not comment or str(o) < comment):
                    comment = str(o)
            elif _is_literal(o):
                if p.startswith(IP5) and name in DATE_PROPERTIES:
                    dates[name].append(_lex(o))
                else:
                    facts.append([self._prop_label(p), _literal_text(o)])
            elif _is_iri(o) and str(o) not in nodes:
                facts.append([self._prop_label(p), self.ix.label(str(o), self.lang)
                              if str(o) in self.ix.labels else str(o)])
        slug = slug_of(iri)
        return {
            "iri": iri,
            "slug": slug,
            "kind": slug.split("/")[0] if iri.startswith(ID) and "/" in slug else "",
            "label": _pick_label(labels, self.lang) or slug,
            "labels": labels,
            "alt_labels": {k: sorted(set(v)) for k, v in sorted(alt.items())},
            "cls": cls,
            "cls_label": self._class_label(cls),
            "comment": comment,
            "dates": {k: sorted(v) for k, v in sorted(dates.items())},
            "facts": sorted(facts),
            "sources": self._sources_of(iri),
            "claims": [],
        }

    def _class_label(self, cls: str) -> str:
        if not cls:
            return "other"
        if cls == PERSON and not self.ix.labels.get(cls):
            return "person"
        return self.ix.label(cls, self.lang)

    def _prop_label(self, prop: str) -> str:
        if self.ix.labels.get(prop):
            return self.ix.label(prop, self.lang)
        return humanize(local_name(prop))

    # -- edges ----------------------------------------------------------------------------
    def run(self) -> nx.MultiDiGraph:
        node_list, _nary, claims, tenures, participations = self._classify()
        node_set = set(node_list)
        g = nx.MultiDiGraph()
        g.graph["sources"] = {k: self.sources[k] for k in sorted(self.sources)}
        g.graph["keep_nary"] = self.keep_nary
        g.graph["vocabulary"] = {
            iri: {k: list(v) for k, v in sorted(langs.items())}
            for iri, langs in sorted(self.ix.labels.items())
            if iri not in node_set and (not iri.startswith(ID) or slug_of(iri).split("/")[0] in _VOCAB_KINDS)
        }
        for iri in node_list:
            g.add_node(iri, **self._node_attrs(iri, node_set))

        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        covered: set[tuple[str, str, str]] = set()   # (subject, key, object) already drawn
        if not self.keep_nary:
            for t in tenures:
                edges.extend(self._tenure_edge(t, node_set))
            for part in participations:
                edges.extend(self._participation_edges(part, node_set))
            for u, v, _, attrs in edges:
                if attrs.get("role_key") in ("chair", "co-chair"):
                    covered.add((v, "chair", u))   # ip5:chair meeting->person says the same
        inverses = self._inverse_pairs()
        present: set[tuple[str, str, str]] = set()
        direct: list[tuple[str, str, str, dict[str, Any]]] = []
        for iri in node_list:
            term = self.ix.terms.get(iri)
            if not term:
                continue
            for p, o in term.out:
                if p == SOURCE or not _is_iri(o) or str(o) not in node_set:
                    continue
                oi = str(o)
                direct.append((iri, oi, p, {"label": self._prop_label(p), "prop": p}))
                present.add((iri, p, oi))
        for u, v, p, attrs in direct:
            inverse = inverses.get(p)
            # keep one direction of owl:inverseOf pairs (the property that sorts first)
            if inverse and inverse < p and (v, inverse, u) in present:
                continue
            key = local_name(p)
            if (u, key, v) in covered:
                continue
            edges.append((u, v, key, attrs))
        seen: set[tuple[str, str, str]] = set()
        for u, v, key, attrs in sorted(edges, key=lambda e: (e[0], e[1], e[2], e[3].get("iri", ""))):
            k = key
            n = 2
            while (u, v, k) in seen:   # parallel records of one kind (two tenures): distinct keys
                k = f"{key}-{n}"
                n += 1
            seen.add((u, v, k))
            g.add_edge(u, v, key=k, **attrs)
        self._attach_claims(g, claims)
        return g

    def _inverse_pairs(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for iri, term in self.ix.terms.items():
            for p, o in term.out:
                if p == OWL + "inverseOf" and _is_iri(o):
                    pairs[iri] = str(o)
                    pairs[str(o)] = iri
        return pairs

    def _iri_value(self, iri: str, prop: str) -> str:
        found = sorted(str(o) for o in self.ix.values(iri, prop) if _is_iri(o))
        return found[0] if found else ""

    def _lit_values(self, iri: str, prop: str) -> list[str]:
        return sorted(_lex(o) for o in self.ix.values(iri, prop) if _is_literal(o))

    def _record_attrs(self, iri: str) -> dict[str, Any]:
        attrs: dict[str, Any] = {"iri": iri, "sources": self._sources_of(iri)}
        for name in DATE_PROPERTIES:
            found = self._lit_values(iri, IP5 + name)
            if found:
                attrs[name] = found
        return attrs

    def _tenure_edge(self, t: str, nodes: set[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
        holder = self._iri_value(t, IP5 + "holder")
        org = self._iri_value(t, IP5 + "organization")
        if holder not in nodes or org not in nodes:
            return []
        acting = [v.lower() for v in self._lit_values(t, IP5 + "acting")]
        is_acting = "true" in acting or "1" in acting
        key = "headed-acting" if is_acting else "headed"
        attrs = self._record_attrs(t)
        attrs.update({
            "label": "headed (acting)" if is_acting else "headed",
            "prop": TENURE,
            "acting": is_acting,
            "title": "; ".join(self._lit_values(t, IP5 + "title")),
            "ordinal": "; ".join(self._lit_values(t, IP5 + "ordinal")),
        })
        return [(holder, org, key, attrs)]

    def _participation_edges(self, part: str, nodes: set[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
        who = self._iri_value(part, IP5 + "participant")
        meeting = self._iri_value(part, IP5 + "meeting")
        if who not in nodes or meeting not in nodes:
            return []
        role_iri = self._iri_value(part, IP5 + "role")
        role = local_name(role_iri) if role_iri else "participant"
        label = ROLE_EDGES[role][0] if role in ROLE_EDGES else f"attended ({humanize(role)})"
        attrs = self._record_attrs(part)
        representing = self._iri_value(part, IP5 + "representing")
        behalf = self._iri_value(part, IP5 + "onBehalfOf")
        attrs.update({
            "label": label,
            "prop": PARTICIPATION,
            "role": self.ix.label(role_iri, self.lang) if role_iri else "",
            "representing": self.ix.label(representing, self.lang) if representing else "",
            "on_behalf_of": self.ix.label(behalf, self.lang) if behalf else "",
            "capacity": "; ".join(self._lit_values(part, IP5 + "capacity")),
        })
        attrs["role_key"] = role
        key = {"chair": "chaired", "co-chair": "co-chaired"}.get(role, f"attended-as-{role}")
        out = [(who, meeting, key, attrs)]
        if behalf in nodes and behalf != who:
            extra = self._record_attrs(part)
            extra.update({"label": "stood in for", "prop": PARTICIPATION,
                          "meeting": self.ix.label(meeting, self.lang)})
            out.append((who, behalf, "stood-in-for", extra))
        return out

    def _attach_claims(self, g: nx.MultiDiGraph, claims: set[str]) -> None:
        conflicts_of: dict[str, list[str]] = defaultdict(list)
        for node in g.nodes:
            for o in self.ix.values(node, IP5 + "hasClaim"):
                conflicts_of[str(o)].append(node)
        for c in sorted(claims):
            value = self._lit_values(c, IP5 + "claimedValue")
            resource = self._iri_value(c, IP5 + "claimedResource")
            preferred = self._lit_values(c, IP5 + "preferred")
            comments = self._lit_values(c, COMMENT)
            record = {
                "iri": c,
                "label": self.ix.label(c, self.lang),
                "aspect": "; ".join(self._lit_values(c, IP5 + "aspect")),
                "value": "; ".join(value) if value else (self.ix.label(resource, self.lang) if resource else ""),
                "preferred": (preferred[0].lower() in ("true", "1")) if preferred else None,
                "inferred": INFERRED_CLAIM in self.ix.types(c),
                "comment": comments[0] if comments else "",
                "sources": self._sources_of(c),
            }
            about = self._iri_value(c, IP5 + "aboutEntity")
            targets = sorted({about, *conflicts_of.get(c, [])} - {""})
            for t in targets:
                if t in g:
                    g.nodes[t]["claims"].append(record)


# -- helpers on the projected graph ---------------------------------------------------------

def sources_of(g: nx.MultiDiGraph, keys: Iterable[str]) -> list[dict[str, str]]:
    """The source records (id, label, tier, address) behind a node's or edge's 'sources'."""
    table = g.graph.get("sources", {})
    return [table.get(k, {"iri": k, "id": slug_of(k), "label": k, "tier": "", "address": ""}) for k in keys]


def all_labels(attrs: dict[str, Any]) -> list[str]:
    """Every label and alternative label of a node, in every language, for searching."""
    found: list[str] = []
    for group in ("labels", "alt_labels"):
        for values in attrs.get(group, {}).values():
            found.extend(values)
    return found


class EntityNotFound(LookupError):
    """Raised when a name matches no node or several."""


def resolve(g: nx.MultiDiGraph, name: str) -> str:
    """Find a node by IRI, 'kind/slug', slug, or label in any language (case-insensitive).

    Ambiguous names raise with the candidates listed, so the CLI can say which to pick.
    """
    if name in g:
        return name
    text = name.strip()
    if text.startswith(ID) and text in g:
        return text
    exact = [n for n in g if g.nodes[n].get("slug") == text]
    if len(exact) == 1:
        return exact[0]
    folded = text.casefold()
    by_slug = [n for n in g if g.nodes[n].get("slug", "").split("/")[-1] == folded]
    if len(by_slug) == 1:
        return by_slug[0]
    by_label = sorted(n for n in g if any(lbl.casefold() == folded for lbl in all_labels(g.nodes[n])))
    if len(by_label) == 1:
        return by_label[0]
    candidates = sorted(set(by_slug) | set(by_label))
    if candidates:
        shown = ", ".join(g.nodes[c]["slug"] for c in candidates[:8])
        raise EntityNotFound(f"'{name}' is ambiguous: {shown}")
    raise EntityNotFound(f"no entity called '{name}'")


def resolve_quiet(g: nx.MultiDiGraph, name: str) -> str | None:
    """resolve(), also taking prefixed names (meeting:heads-2021), or None instead of an error."""
    kind, sep, local = name.partition(":")
    if sep and not local.startswith("//") and f"{ID}{kind}/{local}" in g:
        return f"{ID}{kind}/{local}"
    try:
        return resolve(g, name)
    except EntityNotFound:
        return None


def _undirected_adjacency(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    adj: dict[str, set[str]] = {n: set() for n in g}
    for u, v in g.edges():
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    return {n: sorted(vs) for n, vs in adj.items()}


def neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph of nodes within `depth` hops of `focus`, ignoring edge direction."""
    seen = {focus: 0}
    queue = deque([focus])
    while queue:
        n = queue.popleft()
        if seen[n] >= depth:
            continue
        for m in _neighbours(g, n):
            if m not in seen:
                seen[m] = seen[n] + 1
                queue.append(m)
    return induced(g, seen)


def _neighbours(g: nx.MultiDiGraph, n: str) -> list[str]:
    return sorted(set(g.successors(n)) | set(g.predecessors(n)))


def induced(g: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """A sorted copy of the subgraph on `keep` (nodes and edges in a stable order)."""
    keep_set = set(keep)
    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n in sorted(keep_set):
        sub.add_node(n, **g.nodes[n])
    for n in sorted(keep_set):
        for v, keys in sorted(g.adj[n].items()):
            if v in keep_set:
                for k, attrs in sorted(keys.items()):
                    sub.add_edge(n, v, key=k, **attrs)
    return sub


# -- queries as graphs ---------------------------------------------------------------------

def record_endpoints(g: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """Collapsed record IRI (tenure, participation) -> the two nodes its edge joins."""
    found: dict[str, tuple[str, str]] = {}
    for u, v, _, attrs in iter_edges_sorted(g):
        iri = attrs.get("iri")
        if iri and iri not in found:
            found[iri] = (u, v)
    return found


def select_graph(g: nx.MultiDiGraph, iris: Iterable[str]) -> nx.MultiDiGraph:
    """The entities a SELECT result names and the edges among them (records map to their ends)."""
    ends = record_endpoints(g)
    keep: set[str] = set()
    for iri in iris:
        if iri in g:
            keep.add(iri)
        elif iri in ends:
            keep.update(ends[iri])
    return induced(g, keep)


def construct_graph(g: nx.MultiDiGraph, triples: Iterable[Any]) -> nx.MultiDiGraph:
    """A CONSTRUCT result's own triples, projected; entities keep their full-graph details."""
    sub = project(list(triples), keep_nary=g.graph.get("keep_nary", False),
                  vocabulary=g.graph.get("vocabulary"))
    for n in sub:
        if n in g:
            sub.nodes[n].update(g.nodes[n])
    sub.graph["sources"] = {**g.graph.get("sources", {}), **sub.graph.get("sources", {})}
    return sub


# -- analytics ------------------------------------------------------------------------------

BETWEENNESS_EXACT_MAX = 2000
BETWEENNESS_SAMPLES = 200
LOUVAIN_MAX = 3000   # Louvain: 0.05 s at 1k nodes, 2 s at 10k; label propagation: 0.2 s at 10k


def _simple(g: nx.MultiDiGraph) -> nx.Graph:
    s = nx.Graph()
    s.add_nodes_from(sorted(g.nodes))
    s.add_edges_from(sorted((u, v) if u < v else (v, u) for u, v in g.edges() if u != v))
    return s


def degree_centrality(g: nx.MultiDiGraph) -> dict[str, float]:
    """Distinct neighbours / (n - 1): parallel edges (two meetings' records) count once."""
    n = len(g)
    if n <= 1:
        return {v: 0.0 for v in g}
    s = _simple(g)
    return {v: s.degree(v) / (n - 1) for v in sorted(s)}


def betweenness_centrality(g: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, float]:
    """Betweenness on the undirected simple graph: exact up to 2,000 nodes, else sampled (seeded)."""
    s = _simple(g)
    k = None if len(s) <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SAMPLES
    return dict(sorted(nx.betweenness_centrality(s, k=k, seed=seed, normalized=True).items()))


def communities(g: nx.MultiDiGraph, *, seed: int = 0) -> list[list[str]]:
    """Communities, largest first: Louvain (seeded) on small graphs, label propagation on large."""
    return communities_of_simple(_simple(g), seed=seed)


def communities_of_simple(s: nx.Graph, *, seed: int = 0) -> list[list[str]]:
    """communities() for an undirected simple graph that is already built."""
    if len(s) == 0:
        return []
    if len(s) <= LOUVAIN_MAX:
        found = nx.community.louvain_communities(s, seed=seed)
    else:
        found = nx.community.asyn_lpa_communities(s, seed=seed)
    groups = [sorted(c) for c in found]
    return sorted(groups, key=lambda c: (-len(c), c[0]))


def annotate_centrality(g: nx.MultiDiGraph, *, seed: int = 0) -> None:
    """Store 'degree' and 'betweenness' on every node, once, so sub-views inherit them."""
    deg = degree_centrality(g)
    btw = betweenness_centrality(g, seed=seed)
    for n in g:
        g.nodes[n]["degree"] = deg.get(n, 0.0)
        g.nodes[n]["betweenness"] = btw.get(n, 0.0)


def top_entities(g: nx.MultiDiGraph, n: int = 10, *, seed: int = 0) -> list[dict[str, Any]]:
    """The n most central entities: by betweenness, then degree, then label (for `stats`)."""
    deg = degree_centrality(g)
    btw = betweenness_centrality(g, seed=seed)
    ranked = sorted(g.nodes, key=lambda v: (-btw.get(v, 0.0), -deg.get(v, 0.0), g.nodes[v]["label"], v))
    return [
        {"iri": v, "slug": g.nodes[v]["slug"], "label": g.nodes[v]["label"], "class": g.nodes[v]["cls_label"],
         "betweenness": round(btw.get(v, 0.0), 4), "degree": round(deg.get(v, 0.0), 4)}
        for v in ranked[:n]
    ]


# -- paths ----------------------------------------------------------------------------------

@dataclass
class Step:
    """One hop of a path: from a node to the next over one edge, read in the path's direction."""

    source: str
    target: str
    key: str
    forward: bool      # True when the edge points source -> target
    attrs: dict[str, Any]


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> list[Step] | None:
    """A shortest connection between two nodes, ignoring direction; None when there is none.

    Breadth-first with neighbours in sorted order, so ties always break the same way.
    """
    if a not in g or b not in g:
        raise EntityNotFound(f"not in the graph: {a if a not in g else b}")
    if a == b:
        return []
    parent: dict[str, str] = {a: a}
    queue = deque([a])
    while queue and b not in parent:
        n = queue.popleft()
        for m in _neighbours(g, n):
            if m not in parent:
                parent[m] = n
                queue.append(m)
    if b not in parent:
        return None
    chain = [b]
    while chain[-1] != a:
        chain.append(parent[chain[-1]])
    chain.reverse()
    return [_step(g, u, v) for u, v in pairwise(chain)]


def _step(g: nx.MultiDiGraph, u: str, v: str) -> Step:
    if g.has_edge(u, v):
        key = min(g[u][v])
        return Step(u, v, key, True, g[u][v][key])
    key = min(g[v][u])
    return Step(u, v, key, False, g[v][u][key])


def base_key(key: str) -> str:
    """'headed-acting-2' -> 'headed-acting': drop the suffix that tells parallel records apart."""
    return re.sub(r"-\d+$", "", key)


def phrase(step: Step) -> str:
    """The verb phrase of one hop ('chaired {}', 'was hosted by'); '{}' marks the other end."""
    key = base_key(step.key)
    label = step.attrs.get("label", humanize(key))
    role = step.attrs.get("role_key")
    if role in ROLE_EDGES:
        fwd, back = ROLE_EDGES[role][1:]
    elif key in PHRASES:
        fwd, back = PHRASES[key]
    elif label.endswith(" by"):
        fwd, back = "was " + label, label[:-3]
    else:
        fwd, back = label, f"is the {label} of"
    return fwd if step.forward else back


def explain(g: nx.MultiDiGraph, steps: list[Step]) -> str:
    """The path in words: 'A chaired B, which was hosted by C'."""
    if not steps:
        return ""
    def clause(step: Step) -> str:
        words = phrase(step)
        target = g.nodes[step.target]["label"]
        return words.replace("{}", target) if "{}" in words else f"{words} {target}"

    first = steps[0]
    parts = [f"{g.nodes[first.source]['label']} {clause(first)}"]
    parts.extend(f"which {clause(step)}" for step in steps[1:])
    return ", ".join(parts)


def iter_edges_sorted(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Edges in (source, target, key) order: every writer uses this for stable output."""
    for u in sorted(g.adj):
        for v, keys in sorted(g.adj[u].items()):
            for k, attrs in sorted(keys.items()):
                yield u, v, k, attrs
