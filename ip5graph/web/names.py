"""Names of the time: an organisation's name records (ip5:OrganizationName, ip5:nameOf) read by the same
rule as the named queries 22-name-on-date and 02-heads-meetings, so that a page about a dated event names
an office as it was then ("SIPO (now CNIPA)", linking to today's page) and an office page lists its
names with their periods and sources, the way Wikidata shows "official name" with start/end time
qualifiers and references. Nothing here makes up a name: every text comes from a name record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ip5graph.rdf.namespaces import IP5
from ip5graph.web.entities import Index, Lit, lang_key
from ip5graph.web.values import Linker, V, format_date, record_anchor

NAME_OF = IP5 + "nameOf"
# The properties that date an entity, in the order they are tried (a meeting's start, an event's date,
# a tenure's start or the day its holder is known to have been in office).
DATE_PROPS = tuple(IP5 + p for p in ("startDate", "date", "inOfficeOn"))


@dataclass(frozen=True)
class NameRecord:
    """One name an organisation went by: its names by language, abbreviation and period (as text)."""

    iri: str
    names: tuple[Lit, ...]
    abbreviation: str
    valid_from: str
    valid_until: str

    def valid_on(self, day: str) -> bool:
        """The queries' rule: dates compared as text, so a change known only to its year or month counts
        the days of that year or month to the earlier name (query 22 flags them as uncertain)."""
        return (not self.valid_from or day >= self.valid_from) and (not self.valid_until or day < self.valid_until)

    def short(self) -> str:
        """The abbreviation, else the English name, else the first name (a record always has a name)."""
        if self.abbreviation:
            return self.abbreviation
        english = [n.value for n in self.names if n.lang in ("en", "")]
        return english[0] if english else (self.names[0].value if self.names else "")


class Names:
    """Every organisation's name records, oldest first; built once per site from the index."""

    def __init__(self, ix: Index) -> None:
        self.ix = ix
        self.by_org: dict[str, list[NameRecord]] = {}
        for s, pairs in sorted(ix.out.items()):
            orgs = [o for p, o in pairs if p == NAME_OF and isinstance(o, str)]
            if not orgs:
                continue
            names = tuple(sorted(ix.lits(s, IP5 + "name"), key=lambda n: (lang_key(n.lang), n.value)))
            rec = NameRecord(
                s,
                names,
                ix.first_lit(s, IP5 + "abbreviation"),
                ix.first_lit(s, IP5 + "validFrom"),
                ix.first_lit(s, IP5 + "validUntil"),
            )
            for org in orgs:
                self.by_org.setdefault(org, []).append(rec)
        for records in self.by_org.values():
            records.sort(key=lambda r: (r.valid_from, r.valid_until or "9999", r.iri))

    def of(self, org: str) -> list[NameRecord]:
        return self.by_org.get(org, [])

    def on(self, org: str, day: str) -> NameRecord | None:
        """The record valid on `day` (a date at any precision); None when none is."""
        return next((r for r in self.of(org) if r.valid_on(day)), None)

    def today(self, org: str) -> str:
        """The name today, as query 02 takes it: the open record's abbreviation, else the organisation's."""
        open_ = [r.abbreviation for r in self.of(org) if not r.valid_until and r.abbreviation]
        return open_[0] if open_ else self.ix.first_lit(org, IP5 + "abbreviation")

    def then(self, org: str, day: str) -> tuple[str, NameRecord] | None:
        """('SIPO (now CNIPA)', record) when the organisation went by another name on `day` than today;
        None when it did not, when the day is unknown, or when no record covers it."""
        rec = self.on(org, day) if day else None
        if rec is None or not rec.valid_until:
            return None
        short, today = rec.short(), self.today(org)
        if not short or short == today:
            return None
        return (f"{short} (now {today})" if today else short), rec


def event_day(ix: Index, iri: str) -> str:
    """The day an entity happened or began, at the precision given ('' when it has no date)."""
    for p in DATE_PROPS:
        found = ix.lits(iri, p)
        if found:
            return min(x.value for x in found)
    return ""


def at(names: Names, link: Linker, iri: str, day: str) -> V:
    """An entity as a link, named as it was on `day` when that differs from today. The text is not tied
    to the page's language switch (no key), and the hover names the record of the time."""
    v = link.entity(iri)
    found = names.then(iri, day)
    if found is None or not v.href:
        return v
    text, rec = found
    return replace(v, text=text, key="", title=f"{names.ix.label(rec.iri)}: {iri}")


def history_rows(names: Names, link: Linker, org: str) -> list[tuple[str, list[list[V]]]]:
    """One row per name record: names (each in its language, the first a link to the record's page),
    abbreviation, from, until, and the sources of the record and of its statements."""
    ix = names.ix
    rows = []
    for rec in names.of(org):
        cells = [V(n.value, lang=n.lang if n.lang != "en" else "") for n in rec.names]
        if cells:
            page = link.entity(rec.iri)
            cells[0] = replace(cells[0], href=page.href, title=ix.label(rec.iri))
        rows.append(
            (
                record_anchor(rec.iri),
                [
                    cells,
                    [V(rec.abbreviation)] if rec.abbreviation else [],
                    [V(format_date(rec.valid_from))] if rec.valid_from else [V("from the start")],
                    [V(format_date(rec.valid_until))] if rec.valid_until else [V("still in use")],
                    link.sources(ix.record_sources(rec.iri)),
                ],
            )
        )
    return rows
