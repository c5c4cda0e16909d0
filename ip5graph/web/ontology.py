"""The ontology's own documentation page for the site: its header, every class and property with label,
comment, domain and range, and a drawing of the classes.

Why our own page and not pyLODE's: the site is offline and every page draws its graph with the same
vis-network template; pyLODE's HTML would bring its own styles and no graph. Read from the loaded
store with SPARQL, so it documents whatever ontology/*.ttl says (the metadata included).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ip5graph.rdf.namespaces import IP5

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
KINDS = (
    ("Classes", OWL + "Class"),
    ("Object properties", OWL + "ObjectProperty"),
    ("Datatype properties", OWL + "DatatypeProperty"),
    ("Annotation properties", OWL + "AnnotationProperty"),
)
PREFIXES = {
    IP5: "ip5:",
    OWL: "owl:",
    RDFS: "rdfs:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/ns/org#": "org:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "https://schema.org/": "schema:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/linked-data/cube#": "qb:",
    "http://purl.org/vocab/vann/": "vann:",
    "http://www.w3.org/ns/prov#": "prov:",
}
_CLASS_STYLE = OWL + "Class"


def store_of(triples: Iterable[ox.Triple]) -> ox.Store:
    """An in-memory store of the triples, for the SPARQL below."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


def short(iri: str) -> str:
    """A prefixed name where the prefix is known, else the IRI."""
    for ns, prefix in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return prefix + iri[len(ns) :]
    return iri


def _values(store: Any, query: str) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else t.value for t in row) for row in store.query(query)]


def _terms(store: Any, kind: str) -> dict[str, dict[str, list[str]]]:
    """IRI -> {label, comment, domain, range, super, definedBy: values}, for the ip5: terms of one OWL kind."""
    rows = _values(
        store,
        f"""
        SELECT ?t ?p ?v WHERE {{
          ?t a <{kind}> . FILTER(STRSTARTS(STR(?t), "{IP5}"))
          OPTIONAL {{
            VALUES ?p {{ <{RDFS}label> <{RDFS}comment> <{RDFS}domain> <{RDFS}range> <{RDFS}subClassOf>
                        <{RDFS}subPropertyOf> <{RDFS}isDefinedBy> }}
            ?t ?p ?v FILTER(!isBlank(?v) && (!isLiteral(?v) || LANG(?v) = "" || LANGMATCHES(LANG(?v), "en")))
          }}
        }}""",
    )
    out: dict[str, dict[str, list[str]]] = {}
    for t, p, v in rows:
        entry = out.setdefault(t, {})
        if p:
            entry.setdefault(p.rsplit("#", 1)[-1], []).append(v)
    return {t: {k: sorted(set(vs)) for k, vs in e.items()} for t, e in sorted(out.items())}


def class_graph(store: Any) -> nx.MultiDiGraph:
    """The classes as nodes (ours and the ones they build on), subclass links and object properties as edges."""
    classes = _terms(store, OWL + "Class")
    g = nx.MultiDiGraph()

    def add(iri: str) -> None:
        if iri in g:
            return
        info = classes.get(iri, {})
        label = (info.get("label") or [short(iri)])[0]
        ours = iri in classes
        g.add_node(
            iri,
            label=label,
            labels={"en": [label]},
            iri=iri,
            slug=short(iri),
            cls=_CLASS_STYLE if ours else OWL + "Thing",
            cls_label="ip5 class" if ours else "other vocabulary",
            comment=(info.get("comment") or [""])[0],
        )

    for iri, info in classes.items():
        add(iri)
        for sup in info.get("subClassOf", []):
            add(sup)
            g.add_edge(iri, sup, key="subClassOf", label="subclass of", iri=RDFS + "subClassOf")
    for iri, info in _terms(store, OWL + "ObjectProperty").items():
        for d in info.get("domain", []):
            for r in info.get("range", []):
                if d.startswith(("http", "urn")) and r.startswith(("http", "urn")):
                    add(d)
                    add(r)
                    g.add_edge(d, r, key=short(iri), label=(info.get("label") or [short(iri)])[0], iri=iri)
    return g


def terms_html(store: Any) -> str:
    """The header (the ontology's own annotations) and one table per kind of term, escaped."""
    esc = html.escape
    labels: dict[str, str] = dict(
        (row[0], row[1])
        for row in _values(
            store,
            f"SELECT ?t (MIN(STR(?l)) AS ?label) WHERE {{ ?t <{RDFS}label> ?l "
            "FILTER(isIRI(?t) && LANGMATCHES(LANG(?l), 'en')) } GROUP BY ?t",
        )
    )

    def named(iri: str) -> str:
        """A term as a reader sees it: its label (or local name), then its prefixed name."""
        if not iri.startswith(("http://", "https://")):
            return esc(iri)
        name = labels.get(iri) or iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return f"{esc(name)} <code>{esc(short(iri))}</code>"

    def cell(values: list[str]) -> str:
        return "<br>".join(named(v) for v in values)

    parts = ['<section id="ontology"><h2>The ontology</h2>']
    current = None
    rows = _values(
        store,
        f"SELECT ?o ?p ?v WHERE {{ ?o a <{OWL}Ontology> ; ?p ?v "
        "FILTER(!isBlank(?v) && ?p != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>) } ORDER BY ?o ?p ?v",
    )
    for o, p, v in rows:
        if o != current:
            parts.append(("</dl>" if current else "") + f"<h3><code>{esc(o)}</code></h3><dl>")
            current = o
        parts.append(f"<dt>{esc(short(p))}</dt><dd>{esc(short(v))}</dd>")
    parts.append("</dl>" if current else "")
    for title, kind in KINDS:
        terms = _terms(store, kind)
        if not terms:
            continue
        parts.append(
            f"<h3>{esc(title)} ({len(terms)})</h3><div class='table-wrap'><table><thead><tr><th>Term</th><th>Label</th>"
            "<th>Comment</th><th>Domain</th><th>Range</th><th>Broader</th><th>Defined by</th></tr></thead><tbody>"
        )
        for iri, info in terms.items():
            broader = info.get("subClassOf", []) + info.get("subPropertyOf", [])
            parts.append(
                f'<tr id="{esc(short(iri), quote=True)}"><td>{named(iri)}</td>'
                f"<td>{cell(info.get('label', []))}</td><td>{esc(' '.join(info.get('comment', [])))}</td>"
                f"<td>{cell(info.get('domain', []))}</td><td>{cell(info.get('range', []))}</td>"
                f"<td>{cell(broader)}</td><td>{cell(info.get('isDefinedBy', []))}</td></tr>"
            )
        parts.append("</tbody></table></div>")
    parts.append("</section>")
    return "".join(parts)


def page(store: Any) -> dict[str, Any]:
    """The site page's drawing, title, subtitle and tables (the keyword arguments of the site's _page)."""
    return {
        "sub": class_graph(store),
        "title": "The IP5 ontology: classes and properties",
        "subtitle": "Every term with its label, comment, domain and range, as ontology/*.ttl states them",
        "extra": terms_html(store),
    }
