"""The infobox of one entity, as plain data for the template: names, facts with their sources,
tables of the records that involve it (an office's heads, a person's posts and meetings, a meeting's
participants), where the sources disagree, who cites a source, and the sources themselves.

Ordering: dates first, then the properties a reader of that kind of entity looks for (a meeting's
place, host and chair before its previous/next meeting), then the rest by label; table rows by date.
"""

from __future__ import annotations

from dataclasses import dataclass

from ip5graph.rdf.namespaces import DCTERMS_SOURCE, IP5, RDFS_LABEL
from ip5graph.web.entities import (
    ALT_LABEL,
    CITING,
    COMMENT,
    DEFINITION,
    LANG_NAMES,
    PREF_LABEL,
    Index,
    Term,
    kind_of,
    lang_key,
)
from ip5graph.web.names import NAME_OF, event_day, history_rows
from ip5graph.web.recordtables import RecordTables, Table, date_key, local
from ip5graph.web.values import V, record_anchor

HIDDEN = {
    RDFS_LABEL,
    PREF_LABEL,
    ALT_LABEL,
    COMMENT,
    DEFINITION,
    DCTERMS_SOURCE,
    IP5 + "hasClaim",
    IP5 + "hasStatement",
}
FIRST = [
    "startDate",
    "endDate",
    "seriesStartDate",
    "seriesEndDate",
    "date",
    "foundingDate",
    "inOfficeOn",
    "place",
    "plannedPlace",
    "format",
    "host",
    "chair",
    "ordinal",
    "partOfSeries",
    "previousMeeting",
    "nextMeeting",
    "outcomeOf",
    "abbreviation",
    "leadOffice",
    "memberOf",
    "subOrganizationOf",
    "headquarters",
    "sourceId",
    "publisher",
    "tier",
    "address",
]
_RANK = {name: i for i, name in enumerate(FIRST)}
# How a back-link reads on the page of the entity it points at (property local name -> words).
BACK = {
    "host": "hosted",
    "chair": "chaired",
    "place": "venue of",
    "plannedPlace": "originally planned venue of",
    "nextMeeting": "follows",
    "previousMeeting": "followed by",
    "partOfSeries": "held alongside it",
    "outcomeOf": "outcomes",
    "leadOffice": "leads",
    "memberOf": "members",
    "subOrganizationOf": "includes",
    "headquarters": "seat of",
    "partOf": "includes",
    "relatedTo": "related to",
    "hasAim": "aim of",
    "affectedOrganization": "renamed by",
    "subject": "subject of",
    "concerns": "conflicts",
    "inScheme": "concepts",
    "tier": "sources of this tier",
    "role": "roles",
    "format": "meetings",
    "kind": "of this kind",
}


@dataclass
class Infobox:
    label: str
    cls_label: str
    comment: str
    names: list[tuple[str, str, list[str], list[str]]]  # (language in words, tag, labels, also written)
    facts: Table
    tables: list[Table]
    sources: Table
    history: Table | None = None  # an organisation's names over time, each with its period and sources


def class_label(ix: Index, iri: str) -> str:
    types = sorted(ix.types.get(iri, ()), key=lambda t: (not t.startswith(IP5), t))
    for t in types:
        if ix.labels.get(t):
            return ix.label(t)
    kind = kind_of(iri)
    return kind.replace("-", " ") if kind else (local(types[0]) if types else "entity")


class Builder(RecordTables):
    """Builds infoboxes for one site: the index, the page of every entity, a linker."""

    def _fact_sources(self, s: str, p: str, o: Term) -> list[V]:
        found = self.ix.fact_sources(s, p, o)
        if found is None:
            return []
        stated, basis, notes = found
        out = self.link.sources(stated)
        if basis:
            out += [V("inferred from:")] + self.link.sources(basis)
        return out + [V(f"({n})") for n in notes if n != "inferred" or not basis]

    # -- the parts -----------------------------------------------------------------------------
    def names(self, iri: str) -> list[tuple[str, str, list[str], list[str]]]:
        labels = self.ix.labels.get(iri, {})
        alts = self.ix.alt_labels(iri)
        langs = sorted(set(labels) | set(alts), key=lang_key)
        return [
            (LANG_NAMES.get(lang, lang), lang, list(labels.get(lang, [])), list(alts.get(lang, [])))
            for lang in langs
            if labels.get(lang) or alts.get(lang)
        ]

    def facts(self, iri: str) -> Table:
        """Outgoing properties, then back-links from other entities (not records), each with sources."""
        ix = self.ix
        grouped: dict[str, list[tuple[str, Term]]] = {}
        for p, o in ix.out.get(iri, ()):
            if p in HIDDEN:
                continue
            grouped.setdefault(p, []).append((p, o))
        rows: list[tuple[tuple[int, str], str, list[list[V]]]] = []
        # a rename's own page names the organisation as today: on the day of the change both names are right
        day = "" if IP5 + "NameChange" in ix.types.get(iri, ()) else event_day(ix, iri)
        for p, pairs in grouped.items():
            name = local(p)
            values = [self.at(o, day) if isinstance(o, str) else self.link.term(o) for _, o in pairs]
            srcs: list[V] = []
            for _, o in pairs:
                for v in self._fact_sources(iri, p, o):
                    if v not in srcs:
                        srcs.append(v)
            rank = (_RANK.get(name, len(FIRST)), self.prop_label(p))
            rows.append((rank, f"fact-{name}", [[V(self.prop_label(p))], values, srcs]))
        back: dict[str, list[str]] = {}
        named = {o for p, o in ix.out.get(iri, ()) if isinstance(o, str)}
        for s, p in ix.inc.get(iri, ()):
            if p in HIDDEN or ix.is_record(s) or s == iri or s in named or (p == NAME_OF and self.org_names.of(iri)):
                continue
            back.setdefault(p, []).append(s)
        for p, subjects in back.items():
            name = local(p)
            words = BACK.get(name, f"{self.prop_label(p)} (of)")
            values = [self.link.entity(s) for s in sorted(set(subjects), key=lambda s: (date_key(ix, s), s))]
            rows.append(((len(FIRST) + 1, words), "", [[V(words)], values, []]))
        rows.sort(key=lambda r: r[0])
        body = [(anchor, cells) for _, anchor, cells in rows]
        title = f"Facts about {ix.label(iri)}"
        if any(cells[2] for _, cells in body):
            note = "A fact without sources of its own rests on the sources listed at the end of the page."
            return Table("Facts", title, ["Property", "Value", "Sources"], body, note=note)
        note = "These facts rest on the sources listed at the end of the page."
        return Table("Facts", title, ["Property", "Value"], [(a, cells[:2]) for a, cells in body], note=note)

    def history(self, iri: str) -> Table | None:
        rows = history_rows(self.org_names, self.link, iri)
        if not rows:
            return None
        caption = f"Names {self.ix.label(iri)} went by, each with its period and sources"
        return Table("Names over time", caption, ["Name", "Abbreviation", "From", "Until", "Sources"], rows)

    def claims_table(self, iri: str) -> Table | None:
        """Where sources disagree about the entity or its records, side by side, each value with its own
        sources: ranked statements (preferred/deprecated), the statements and claims a conflict gathers."""
        ix = self.ix
        targets = [iri, *self.records_of.get(iri, [])]
        conflicts = [iri] + [s for s, p in ix.inc.get(iri, ()) if p == IP5 + "concerns"]
        claims = {c for k in conflicts for c in ix.iris(k, IP5 + "hasClaim")}
        claims.update(s for t in targets for s, p in ix.inc.get(t, ()) if p == IP5 + "aboutEntity")
        statements = {st for k in conflicts for st in ix.iris(k, IP5 + "hasStatement")}
        statements.update(
            st
            for t in targets
            for st in ix.statements_of.get(t, ())
            if ix.statement_notes(st) and any(n != "inferred" for n in ix.statement_notes(st))
        )
        if not claims and not statements:
            return None
        t = Table(
            "Where the sources disagree",
            f"Competing values about {ix.label(iri)}, each with its own sources",
            ["About", "Property", "Value", "Rank", "Note", "Sources"],
        )
        rows: list[tuple[tuple[str, str, str], str, list[list[V]]]] = []
        for st in statements:
            subject = next(iter(ix.iris(st, IP5 + "statementSubject")), "")
            prop = next(iter(ix.iris(st, IP5 + "statementProperty")), "")
            basis = ix.iris(st, IP5 + "inferredFrom")
            srcs = self.link.sources(ix.stated_in(st))
            if basis:
                srcs += [V("inferred from:")] + self.link.sources(sorted(basis, key=ix.source_key))
            rows.append(
                (
                    (subject, self.prop_label(prop) if prop else "", st),
                    "",
                    [
                        [self.link.entity(subject)] if subject else [],
                        [V(self.prop_label(prop) if prop else "value")],
                        [self.link.term(o) for o in ix.values(st, IP5 + "statementValue")],
                        [V(", ".join(ix.statement_notes(st)) or "normal")],
                        [V(ix.first_lit(st, COMMENT))],
                        srcs,
                    ],
                )
            )
        for c in claims:
            about = next(iter(ix.iris(c, IP5 + "aboutEntity")), "")
            value: list[V] = [self.link.term(o) for o in ix.values(c, IP5 + "claimedValue")]
            value += [self.link.entity(o) for o in ix.iris(c, IP5 + "claimedResource")]
            pref = ix.first_lit(c, IP5 + "preferred")
            rank = {"true": "preferred", "1": "preferred", "false": "not preferred", "0": "not preferred"}.get(
                pref, "not stated"
            ) + (" (inferred)" if IP5 + "InferredClaim" in ix.types.get(c, ()) else "")
            aspect = ix.first_lit(c, IP5 + "aspect") or "value"
            rows.append(
                (
                    (about, aspect, c),
                    record_anchor(c),
                    [
                        [self.link.entity(about)] if about else [],
                        [V(aspect)],
                        value,
                        [V(rank)],
                        [V(ix.first_lit(c, COMMENT))],
                        self.link.sources(ix.sources(c)),
                    ],
                )
            )
        rows.sort(key=lambda r: r[0])
        t.rows = [(anchor, cells) for _, anchor, cells in rows]
        return t

    def cited_by(self, iri: str) -> Table | None:
        """For a source: the entities whose facts or records cite it, and which."""
        ix = self.ix
        by_owner: dict[str, list[str]] = {}
        for s, p in ix.inc.get(iri, ()):
            if p in CITING:
                owner = ix.owner(s) if ix.is_record(s) else s
                by_owner.setdefault(owner or s, [])
                if s != owner and s not in by_owner[owner or s]:
                    by_owner[owner or s].append(s)
        if not by_owner:
            return None
        t = Table("Cited by", f"What {ix.label(iri)} is cited for", ["Entity", "Kind", "For"])
        for owner in sorted(by_owner, key=lambda s: (kind_of(s), ix.label(s).casefold(), s)):
            what = [self.link.entity(r) for r in sorted(by_owner[owner], key=lambda r: (ix.label(r), r))]
            t.rows.append(("", [[self.link.entity(owner)], [V(class_label(ix, owner))], what or [V("its own facts")]]))
        return t

    def sources_table(self, iri: str) -> Table:
        ix = self.ix
        t = Table("Sources", f"Sources of {ix.label(iri)}", ["Source", "Title", "Reliability", "Address"])
        for s in ix.sources(iri):
            sid = self.link.sources([s])
            tier = [self.link.entity(o) for o in ix.iris(s, IP5 + "tier")]
            t.rows.append(("", [sid, [V(ix.label(s))], tier, [self.link.term(a) for a in ix.lits(s, IP5 + "address")]]))
        return t

    def build(self, iri: str) -> Infobox:
        ix = self.ix
        comment = ix.first_lit(iri, COMMENT) or ix.first_lit(iri, DEFINITION)
        for lit in ix.lits(iri, COMMENT):
            if lit.lang in ("en", ""):
                comment = lit.value
                break
        tables = self.tenure_tables(iri) + self.participation_tables(iri)
        for extra in (self.claims_table(iri), self.cited_by(iri)):
            if extra is not None:
                tables.append(extra)
        return Infobox(
            ix.label(iri),
            class_label(ix, iri),
            comment,
            self.names(iri),
            self.facts(iri),
            tables,
            self.sources_table(iri),
            self.history(iri),
        )
