"""Entities by name: the one matcher behind `view --focus`, `query --param person="Kasutani Toshihide"`
and KnowledgeGraph.find_entity.

Why its own module, without networkx: the matcher works on (IRI -> slug, label, names) entries,
made either from a projected network (of_network) or straight from the store's type triples
and the entities' own triples (of_store, index look-ups). The cold `ip5graph query` path then names entities
without importing networkx or projecting the whole graph, and both give the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ip5graph.errors import UsageError
from ip5graph.network.index import Index, pointed_at, term, triples_of
from ip5graph.network.vocabulary import ID, TYPE, role_of, slug_of


class Named(NamedTuple):
    """What the matcher knows of one entity."""

    slug: str | None  # office/jpo (None: a hand-made node without one)
    label: str  # the display label, shown in "did you mean"
    names: tuple[str, ...]  # every label and alternative label, in every language


# iri -> Named, in node order
Entities = Mapping[str, Named]


class EntityNotFound(LookupError):
    """Raised when a name matches no node or several."""


def all_labels(attrs: Mapping[str, Any]) -> list[str]:
    """Every label and alternative label of a node, in every language, for searching."""
    found: list[str] = []
    for group in ("labels", "alt_labels"):
        for values in attrs.get(group, {}).values():
            found.extend(values)
    return found


def of_network(g: Any) -> dict[str, Named]:
    """The entries of a projected network's nodes (a networkx graph)."""
    return {n: Named(a.get("slug"), a.get("label", ""), tuple(all_labels(a))) for n, a in g.nodes(data=True)}


def of_store(source: Any) -> dict[str, Named]:
    """The entries the projection of `source` (a pyoxigraph Store, an rdflib Graph or triples) would
    have, read from its type triples and the entities' own triples only: the projection's own rules
    (vocabulary.role_of, index.pointed_at, Index.names) on the triples they look at."""
    typed = Index(triples_of(source, predicate=TYPE))
    nodes = sorted(iri for iri in typed.terms if role_of(typed.terms[iri].types, iri) == "entity")
    ix = Index(t for iri in nodes for t in triples_of(source, subject=iri))  # labels, alternative labels, links

    def described(iri: str) -> bool:  # a subject of a triple the projection reads (not to a blank node)
        return (
            iri in typed.terms
            or iri in ix.terms
            or any(term(o) is not None for _, _, o in triples_of(source, subject=iri))
        )

    found: dict[str, Named] = {}
    for iri in sorted({*nodes, *pointed_at(nodes, lambda iri: ix.terms[iri].out, described)}):
        labels, alt, label = ix.names(iri)
        found[iri] = Named(slug_of(iri), label, tuple(all_labels({"labels": labels, "alt_labels": alt})))
    return found


# -- the matcher -----------------------------------------------------------------------------


def resolve(entities: Entities, name: str) -> str:
    """Find an entity by IRI, 'kind/slug', slug, or label in any language (case-insensitive).

    Ambiguous names raise with the candidates listed, so the CLI can say which to pick.
    """
    if name in entities:
        return name
    text = name.strip()
    if text.startswith(ID) and text in entities:
        return text
    exact = [n for n, e in entities.items() if e.slug == text]
    if len(exact) == 1:
        return exact[0]
    folded = text.casefold()
    by_slug = [n for n, e in entities.items() if (e.slug or "").split("/")[-1] == folded]
    if len(by_slug) == 1:
        return by_slug[0]
    by_label = sorted(n for n, e in entities.items() if any(lbl.casefold() == folded for lbl in e.names))
    if len(by_label) == 1:
        return by_label[0]
    candidates = sorted(set(by_slug) | set(by_label))
    if not candidates:
        candidates, best = _by_words(entities, folded)
        if best is not None:
            return best
    if candidates:
        shown = ", ".join(str(entities[c].slug) for c in candidates[:8])
        raise EntityNotFound(f"'{name}' is ambiguous: {shown}; did you mean one of these?")
    near = _near(entities, folded)
    hint = f"; did you mean: {_shown(entities, near)}?" if near else ""
    raise EntityNotFound(f"no entity called '{name}'{hint}")


# words a short name may leave out: "14th heads meeting" is the "14th IP5 heads of office meeting"
_FILLER = {"ip5", "of", "office", "the", "and"}


def _words(text: str, keep_brackets: bool = False) -> set[str]:
    """The words of a name without filler; a label's bracketed part (place, year) only on request."""
    text = text.casefold() if keep_brackets else re.sub(r"\(.*?\)", " ", text.casefold())
    return set(re.findall(r"[^\W_]+", text)) - _FILLER


def _by_words(entities: Entities, folded: str) -> tuple[list[str], str | None]:
    """Entities whose label has every word of the name, closest first, and the one to take: the only
    such entity, or (for a name of two words or more) the one with clearly the fewest other words."""
    wanted = _words(folded)
    if not wanted:
        return [], None
    scored: dict[str, int] = {}
    for n, e in entities.items():
        for label in e.names:
            if wanted <= _words(label, keep_brackets=True):
                scored[n] = min(scored.get(n, 99), len(_words(label) - wanted))
    ranked = sorted(scored, key=lambda n: (scored[n], n))
    if len(ranked) == 1:
        return ranked, ranked[0]
    if len(wanted) >= 2 and len(ranked) > 1 and scored[ranked[0]] < scored[ranked[1]]:
        return ranked, ranked[0]
    return ranked, None


def _near(entities: Entities, folded: str) -> list[str]:
    """Up to five entities whose label or slug is spelt like the name."""
    import difflib

    names: dict[str, str] = {}
    for n in sorted(entities):
        for text in [(entities[n].slug or "").split("/")[-1], *entities[n].names]:
            names.setdefault(text.casefold(), n)
    close = difflib.get_close_matches(folded, list(names), n=5, cutoff=0.6)
    return list(dict.fromkeys(names[c] for c in close))


def _shown(entities: Entities, found: list[str]) -> str:
    return ", ".join(f"{entities[n].slug} ({entities[n].label})" for n in found[:8])


def resolve_quiet(entities: Entities, name: str) -> str | None:
    """resolve(), also taking prefixed names (meeting:heads-2021), or None instead of an error."""
    kind, sep, local = name.partition(":")
    if sep and not local.startswith("//") and f"{ID}{kind}/{local}" in entities:
        return f"{ID}{kind}/{local}"
    try:
        return resolve(entities, name)
    except EntityNotFound:
        return None


def find(entities: Entities, name: str) -> str:
    """An entity by IRI, prefixed name, kind/slug, slug or label; a UsageError when it is not one."""
    found = resolve_quiet(entities, name)
    if found is not None:
        return found
    try:
        return resolve(entities, name)
    except EntityNotFound as e:
        raise UsageError(str(e.args[0]) + " (give a slug such as office/jpo, or a label)") from None
