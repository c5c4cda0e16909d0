"""RDF graph -> networkx MultiDiGraph projection.

Why a projection: people read a network of entities (offices, people, meetings), not triples.
Sources, SKOS concepts and ontology terms are not entities: they become attributes. Tenures and
participations are n-ary records; by default each collapses into one labelled edge
(person -headed-> office, person -chaired-> meeting) carrying its dates and sources.

Linear in the number of triples (one pass to bucket them, see index.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ip5graph.network.index import (
    Index,
    SubjectFacts,
    is_iri,
    is_literal,
    lang_of,
    lex,
    literal_text,
    pointed_at,
    triples_of,
)
from ip5graph.network.vocabulary import (
    ALT_LABEL,
    COMMENT,
    DATE_PROPERTIES,
    ID,
    IP5,
    LABEL,
    OWL,
    PARTICIPATION,
    PERSON,
    PREF_LABEL,
    ROLE_EDGES,
    SOURCE,
    TENURE,
    VOCAB_KINDS,
    humanize,
    local_name,
    main_class,
    role_of,
    slug_of,
)


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
    index = Index(triples_of(graph), vocabulary)
    return _Projector(index, keep_nary=keep_nary, lang=lang).run()


class _Projector:
    def __init__(self, index: Index, *, keep_nary: bool, lang: str) -> None:
        self.ix = index
        self.keep_nary = keep_nary
        self.lang = lang
        self.sources: dict[str, dict[str, str]] = {}

    # -- classification -------------------------------------------------------------------
    def _classify(self) -> tuple[list[str], set[str], set[str], list[str], list[str]]:
        nodes: set[str] = set()
        nary: set[str] = set()
        claims: set[str] = set()
        tenures: list[str] = []
        participations: list[str] = []
        for iri in sorted(self.ix.terms):
            role = role_of(self.ix.terms[iri].types, iri)
            if role == "source":
                self.sources[iri] = self._source(iri)
            elif role == "statement":
                claims.add(iri)
            elif role in ("tenure", "participation"):
                nary.add(iri)
                (tenures if role == "tenure" else participations).append(iri)
                if self.keep_nary:
                    nodes.add(iri)
            elif role == "entity":
                nodes.add(iri)
        # IRIs that entities point at without describing them (partial data, query results)
        nodes |= pointed_at(sorted(nodes), lambda iri: self.ix.terms[iri].out, lambda iri: iri in self.ix.terms)
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
        found = {str(o) for o in self.ix.values(iri, SOURCE) if is_iri(o)}
        return sorted(found, key=lambda s: ((self.sources[s]["id"] if s in self.sources else s).lower(), s))

    # -- nodes ----------------------------------------------------------------------------
    def _node_attrs(self, iri: str, nodes: set[str]) -> dict[str, Any]:
        term = self.ix.terms.get(iri, SubjectFacts())
        cls = main_class(term.types)
        labels, alt_labels, label = self.ix.names(iri, self.lang)
        dates: dict[str, list[str]] = defaultdict(list)
        facts: list[list[str]] = []
        comment = ""
        for p, o in term.out:
            name = local_name(p)
            if p in (LABEL, PREF_LABEL, SOURCE, IP5 + "hasStatement"):
                continue
            if p == ALT_LABEL and is_literal(o):
                continue  # in alt_labels
            if p == COMMENT and is_literal(o):
                if lang_of(o) in ("en", "") and (not comment or str(o) < comment):
                    comment = str(o)
            elif is_literal(o):
                if p.startswith(IP5) and name in DATE_PROPERTIES:
                    dates[name].append(lex(o))
                else:
                    facts.append([self._prop_label(p), literal_text(o)])
            elif is_iri(o) and str(o) not in nodes:
                facts.append(
                    [self._prop_label(p), self.ix.label(str(o), self.lang) if str(o) in self.ix.labels else str(o)]
                )
        slug = slug_of(iri)
        return {
            "iri": iri,
            "slug": slug,
            "kind": slug.split("/")[0] if iri.startswith(ID) and "/" in slug else "",
            "label": label,
            "labels": labels,
            "alt_labels": alt_labels,
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
            if iri not in node_set and (not iri.startswith(ID) or slug_of(iri).split("/")[0] in VOCAB_KINDS)
        }
        for iri in node_list:
            g.add_node(iri, **self._node_attrs(iri, node_set))

        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        covered: set[tuple[str, str, str]] = set()  # (subject, key, object) already drawn
        if not self.keep_nary:
            for t in tenures:
                edges.extend(self._tenure_edge(t, node_set))
            for part in participations:
                edges.extend(self._participation_edges(part, node_set))
            for u, v, _, attrs in edges:
                if attrs.get("role_key") in ("chair", "co-chair"):
                    covered.add((v, "chair", u))  # ip5:chair meeting->person says the same
        inverses = self._inverse_pairs()
        present: set[tuple[str, str, str]] = set()
        direct: list[tuple[str, str, str, dict[str, Any]]] = []
        for iri in node_list:
            term = self.ix.terms.get(iri)
            if not term:
                continue
            for p, o in term.out:
                if p == SOURCE or not is_iri(o) or str(o) not in node_set:
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
            while (u, v, k) in seen:  # parallel records of one kind (two tenures): distinct keys
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
                if p == OWL + "inverseOf" and is_iri(o):
                    pairs[iri] = str(o)
                    pairs[str(o)] = iri
        return pairs

    def _iri_value(self, iri: str, prop: str) -> str:
        found = sorted(str(o) for o in self.ix.values(iri, prop) if is_iri(o))
        return found[0] if found else ""

    def _lit_values(self, iri: str, prop: str) -> list[str]:
        return sorted(lex(o) for o in self.ix.values(iri, prop) if is_literal(o))

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
        attrs.update(
            {
                "label": "headed (acting)" if is_acting else "headed",
                "prop": TENURE,
                "acting": is_acting,
                "title": "; ".join(self._lit_values(t, IP5 + "title")),
                "ordinal": "; ".join(self._lit_values(t, IP5 + "ordinal")),
            }
        )
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
        attrs.update(
            {
                "label": label,
                "prop": PARTICIPATION,
                "role": self.ix.label(role_iri, self.lang) if role_iri else "",
                "representing": self.ix.label(representing, self.lang) if representing else "",
                "on_behalf_of": self.ix.label(behalf, self.lang) if behalf else "",
                "capacity": "; ".join(self._lit_values(part, IP5 + "capacity")),
            }
        )
        attrs["role_key"] = role
        key = {"chair": "chaired", "co-chair": "co-chaired"}.get(role, f"attended-as-{role}")
        out = [(who, meeting, key, attrs)]
        if behalf in nodes and behalf != who:
            extra = self._record_attrs(part)
            extra.update({"label": "stood in for", "prop": PARTICIPATION, "meeting": self.ix.label(meeting, self.lang)})
            out.append((who, behalf, "stood-in-for", extra))
        return out

    def _attach_claims(self, g: nx.MultiDiGraph, statements: set[str]) -> None:
        """The statements worth showing beside a node's facts: those a conflict gathers, the ranked
        (preferred/deprecated) and the inferred ones; plain normal-rank statements are the facts."""
        conflicts_of: dict[str, list[str]] = defaultdict(list)
        for node in g.nodes:
            for o in self.ix.values(node, IP5 + "hasStatement"):
                conflicts_of[str(o)].append(node)
        for st in sorted(statements):
            rank = self._iri_value(st, IP5 + "rank").rsplit("/", 1)[-1]
            inferred = "true" in (v.lower() for v in self._lit_values(st, IP5 + "inferred"))
            if rank == "normal" and not inferred and st not in conflicts_of:
                continue
            prop = self._iri_value(st, IP5 + "statementProperty")
            values = self.ix.values(st, IP5 + "statementValue")
            shown = [self.ix.label(str(v), self.lang) if is_iri(v) else lex(v) for v in values]
            comments = self._lit_values(st, COMMENT)
            record = {
                "iri": st,
                "label": self.ix.label(st, self.lang),
                "aspect": local_name(prop) if prop else "",
                "value": "; ".join(sorted(shown)),
                "preferred": {"preferred": True, "deprecated": False}.get(rank),
                "inferred": inferred,
                "comment": comments[0] if comments else "",
                "sources": sorted(
                    {
                        str(o)
                        for p in (IP5 + "statedIn", IP5 + "inferredFrom")
                        for o in self.ix.values(st, p)
                        if is_iri(o)
                    }
                ),
            }
            about = self._iri_value(st, IP5 + "statementSubject")
            for t in sorted({about, *conflicts_of.get(st, [])} - {""}):
                if t in g:
                    g.nodes[t]["claims"].append(record)


@dataclass
class Loaded:
    """The projected network of a KnowledgeGraph, with the graph it came from (for queries)."""

    graph: nx.MultiDiGraph
    kg: Any


def load(kg: Any, *, keep_nary: bool = False) -> Loaded:
    """The projected network of a KnowledgeGraph: its own, made once (KnowledgeGraph.network)."""
    return kg.network(keep_nary=keep_nary)
