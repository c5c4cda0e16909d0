"""One page per labelled entity: infobox (readable without scripts), sentences with links, a small
neighbourhood graph, the entity's own Turtle and JSON-LD next to the page, schema.org JSON-LD inside
it; and the search index every page loads.

Cost per page is a few dict lookups plus a layout of its neighbourhood (capped at NEIGHBOURS nodes),
so it stays flat as the graph grows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pyoxigraph as ox
from markupsafe import Markup

from ip5graph.network import navigation
from ip5graph.network.paths import Step, phrase
from ip5graph.network.vocabulary import local_name, slug_of
from ip5graph.rdf.namespaces import IP5, PREFIXES
from ip5graph.web import paths, templating
from ip5graph.web.entities import Index, kind_of
from ip5graph.web.infobox import Builder, class_label
from ip5graph.web.pages import json_for_html, page_data
from ip5graph.web.values import Linker

NEIGHBOURS = 60
SCHEMA_TYPES = {
    "HeadsMeeting": "Event",
    "HeadsIndustryMeeting": "Event",
    "DeputyHeadsMeeting": "Event",
    "Meeting": "Event",
    "PatentOffice": "GovernmentOrganization",
    "InternationalOrganization": "Organization",
    "IndustryAssociation": "Organization",
    "Forum": "Organization",
    "WorkingGroup": "Organization",
    "Person": "Person",
    "Place": "Place",
    "OutcomeDocument": "CreativeWork",
    "Source": "CreativeWork",
    "Initiative": "Project",
}


class SiteData:
    """What every page of one build shares: the index, the page of every entity, the infobox builder."""

    def __init__(self, triples: list[ox.Triple], g: nx.MultiDiGraph) -> None:
        self.triples_by_subject: dict[str, list[ox.Triple]] = {}
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                self.triples_by_subject.setdefault(t.subject.value, []).append(t)
        self.ix = Index(triples)
        self.g = g
        self.entities = self.ix.entities()
        self.pages = {iri: paths.page_path(iri) for iri in self.entities}
        self.link = Linker(self.ix, self.pages)
        self.inline: dict[str, Any] | None = None  # assets put into every page (build --inline)
        self.depth = 1
        self.boxes = Builder(self.ix, self.link)

    def search_index(self) -> str:
        """`assets/search-index.js`: every entity's page, class and names, for search and languages."""
        rows = []
        for iri in self.entities:
            labels = {k: v for k, v in sorted(self.ix.labels.get(iri, {}).items()) if v}
            alts = sorted({a for vs in self.ix.alt_labels(iri).values() for a in vs})
            rows.append([paths.page_stem(iri), self.pages[iri], class_label(self.ix, iri), labels, alts])
        return "window.IP5_INDEX = " + json_for_html({"e": rows}) + ";\n"


def node_attrs(sd: SiteData, v: str) -> dict[str, Any]:
    """A node's attributes for views.page_data: the projection's when it has them, else from the index."""
    if v in sd.g:
        return dict(sd.g.nodes[v])
    types = sorted(sd.ix.types.get(v, ()))
    return {
        "iri": v,
        "slug": slug_of(v),
        "kind": kind_of(v),
        "label": sd.ix.label(v),
        "labels": {k: list(x) for k, x in sorted(sd.ix.labels.get(v, {}).items())},
        "cls": types[0] if types else "",
        "cls_label": class_label(sd.ix, v),
        "sources": sd.ix.sources(v),
    }


def mini_graph(sd: SiteData, iri: str) -> nx.MultiDiGraph:
    """The entity and its neighbours: from the projection when it is a node there, else the entities
    that point at it or that it points at (a source and what cites it, a concept and its users)."""
    if iri in sd.g:
        sub = navigation.neighbourhood(sd.g, iri, sd.depth)
        records = [v for v in sub if v != iri and sd.ix.is_record(v)]  # statements are shown in the infobox
        if len(sub) - len(records) <= NEIGHBOURS + 1 and not records:
            return sub
        others = sorted((v for v in sub if v != iri and v not in records), key=lambda v: (-sd.g.degree(v), v))
        return navigation.induced(sd.g, [iri, *others[:NEIGHBOURS]])
    ix = sd.ix
    edges: list[tuple[str, str, str]] = []
    for p, o in ix.out.get(iri, ()):
        if isinstance(o, str) and o in sd.pages and o != iri:
            edges.append((iri, o, p))
    for s, p in ix.inc.get(iri, ()):
        who = ix.owner(s) if ix.is_record(s) else s
        if who in sd.pages and who != iri:
            edges.append((who, iri, p))
    sub = nx.MultiDiGraph()
    sub.graph["sources"] = sd.g.graph.get("sources", {})
    sub.add_node(iri, **node_attrs(sd, iri))
    seen: set[tuple[str, str]] = set()
    for u, w, p in sorted(edges):
        other = w if u == iri else u
        if (u, w) in seen or (other not in sub and len(sub) > NEIGHBOURS):
            continue
        seen.add((u, w))
        for n in (u, w):
            if n not in sub:
                sub.add_node(n, **node_attrs(sd, n))
        label = sd.ix.label(p) if sd.ix.labels.get(p) else local_name(p)
        sub.add_edge(u, w, key=local_name(p), label=label, prop=p)
    return navigation.induced(sub, sub.nodes)


def radial_layout(sub: nx.MultiDiGraph, focus: str) -> dict[str, tuple[float, float]]:
    """The entity in the middle, its neighbours on a ring grouped by class then name: O(n), no spring
    layout per page (that was a quarter of the build), and the same picture for every page of a kind."""
    others = sorted(
        (v for v in sub if v != focus),
        key=lambda v: (sub.nodes[v].get("cls", ""), str(sub.nodes[v].get("label", "")).casefold(), v),
    )
    n = len(others)
    radius = max(230.0, n * 100.0 / (2 * math.pi))
    pos = {focus: (0.0, 0.0)}
    for i, v in enumerate(others):
        angle = 2 * math.pi * i / max(n, 1) - math.pi / 2
        ring = radius * (1.0 if i % 2 == 0 or n < 12 else 0.7)
        pos[v] = (round(ring * math.cos(angle), 1), round(ring * math.sin(angle), 1))
    return {v: pos[v] for v in sorted(pos)}


def sentences(sd: SiteData, iri: str) -> list[Markup]:
    """The 'In words' lines, every entity in them a link to its page."""
    g = sd.g
    if iri not in g:
        return []
    out = []
    for u, w, k, attrs in navigation.iter_edges_sorted(
        navigation.induced(g, [iri, *g.successors(iri), *g.predecessors(iri)])
    ):
        if iri not in (u, w) or sd.ix.is_record(u) or sd.ix.is_record(w):
            continue
        words = phrase(Step(u, w, k, True, attrs))
        first, second = _link(sd, u), _link(sd, w)
        if "{}" in words:
            before, _, after = words.partition("{}")
            out.append(Markup("{} {}{}{}").format(first, before, second, after))
        else:
            out.append(Markup("{} {} {}").format(first, words, second))
    return out


def _link(sd: SiteData, iri: str) -> Markup:
    v = sd.link.entity(iri)
    if not v.href:
        return Markup("{}").format(v.text)
    return Markup('<a href="{}" title="{}" data-e="{}">{}</a>').format(v.href, v.title, v.key, v.text)


def graph_context(
    sd: SiteData,
    sub: nx.MultiDiGraph,
    rel: str,
    *,
    heading: str,
    focus: str | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
    full: bool = False,
    extra: dict[str, Any] | None = None,
    seed: int = 0,
    first: bool = False,
) -> dict[str, Any]:
    """What the graph section of a page needs: JSON island, text alternative, list of its nodes."""
    root = paths.root_of(rel)
    data = page_data(sub, positions=positions, focus=focus, pages=sd.pages, root=root, seed=seed)
    data.update(extra or {})
    sd.link.at(rel)
    items = [
        (
            i,
            sd.link.entity(n["iri"], n["label"]),
            sd.g.nodes[n["iri"]].get("cls_label", "") if n["iri"] in sd.g else class_label(sd.ix, n["iri"]),
        )
        for i, n in enumerate(data["nodes"])
    ]
    name = sd.ix.label(focus) if focus else heading
    return {
        "data": Markup(json_for_html(data)),
        "heading": heading,
        "full": full,
        "node_list": items,
        "summary": f"{len(sub)} entities and {sub.number_of_edges()} links. Everything it shows is also in the "
        "text of this page; the list below names every entity in it.",
        "alt": f"Graph of {name}: {len(sub)} entities and {sub.number_of_edges()} links, listed below the graph",
        "open_list": False,
        "first": first,
    }


def schema_org(sd: SiteData, iri: str) -> dict[str, Any]:
    """schema.org JSON-LD for search engines: type, name, other names, description, dates, place."""
    ix = sd.ix
    local_types = [t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in sorted(ix.types.get(iri, ()))]
    kind = next((SCHEMA_TYPES[t] for t in local_types if t in SCHEMA_TYPES), "Thing")
    doc: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "@id": iri, "name": ix.label(iri)}
    others = sorted({x for lang, vs in ix.labels.get(iri, {}).items() for x in vs} - {doc["name"]})
    others += sorted({a for vs in ix.alt_labels(iri).values() for a in vs} - set(others) - {doc["name"]})
    if others:
        doc["alternateName"] = others
    comment = ix.first_lit(iri, PREFIXES["rdfs"] + "comment")
    if comment:
        doc["description"] = comment
    if kind == "Event":
        for prop in ("startDate", "endDate"):
            value = ix.first_lit(iri, IP5 + prop)
            if value:
                doc[prop] = value
        place = next(iter(ix.iris(iri, IP5 + "place")), "")
        if place:
            doc["location"] = {"@type": "Place", "@id": place, "name": ix.label(place)}
    if kind == "GovernmentOrganization" or kind == "Organization":
        founded = ix.first_lit(iri, IP5 + "foundingDate")
        if founded:
            doc["foundingDate"] = founded
    address = ix.first_lit(iri, IP5 + "address")
    if address.startswith(("http://", "https://")):
        doc["url"] = address
    return doc


def entity_triples(sd: SiteData, iri: str) -> list[ox.Triple]:
    """The entity's own triples and those of the records about it (its statements)."""
    found = list(sd.triples_by_subject.get(iri, ()))
    for r in sd.boxes.records_of.get(iri, ()):
        found.extend(sd.triples_by_subject.get(r, ()))
        for c, p in sd.ix.inc.get(r, ()):
            if p == IP5 + "aboutEntity":
                found.extend(sd.triples_by_subject.get(c, ()))
    return found


def entity_files(sd: SiteData, iri: str, *, seed: int = 0, ask: str = "") -> Iterable[tuple[str, str | bytes]]:
    """(relative path, content) for the page, its Turtle and its JSON-LD."""
    from ip5graph.kg.export import export_text

    rel = sd.pages[iri]
    sd.link.at(rel)
    box = sd.boxes.build(iri)
    words = sentences(sd, iri)
    sd.link.at(rel)
    sub = mini_graph(sd, iri)
    graph = graph_context(
        sd,
        sub,
        rel,
        heading="Neighbourhood graph",
        focus=iri,
        seed=seed,
        positions=radial_layout(sub, iri),
        extra={"label_width": 150},
    )
    ttl, jsonld = paths.data_path(iri, "ttl"), paths.data_path(iri, "jsonld")
    triples = entity_triples(sd, iri)
    page = templating.render(
        "entity.html.j2",
        title=box.label,
        root=paths.root_of(rel),
        box=box,
        iri=iri,
        key=paths.page_stem(iri),
        sentences=words,
        graph=graph,
        ttl=paths.link(rel, ttl),
        jsonld_file=paths.link(rel, jsonld),
        ask=ask,
        jsonld=Markup(json_for_html(schema_org(sd, iri))),
        alternates=[("text/turtle", paths.link(rel, ttl)), ("application/ld+json", paths.link(rel, jsonld))],
        inline=sd.inline,
    )
    yield rel, page
    yield ttl, export_text(triples, "ttl")
    yield jsonld, export_text(triples, "jsonld")
