"""The tables of the records that involve an entity (an office's heads, a person's posts and meetings,
a meeting's participants), each row with its sources; an organisation in them is named as it was on
the record's date (web/names.py). The base of the infobox builder (web/infobox.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ip5graph.rdf.namespaces import DCTERMS_SOURCE, IP5
from ip5graph.web.entities import Index
from ip5graph.web.names import Names, at, event_day
from ip5graph.web.values import Linker, V, format_date, record_anchor

ROLE_ORDER = (
    "chair",
    "co-chair",
    "head-of-delegation",
    "acting-head-of-delegation",
    "representative",
    "observer",
    "industry-representative",
    "participant",
)


@dataclass
class Table:
    """One table of the infobox: heading, caption (for screen readers too), header row, body rows.
    Each row is (anchor id or '', cells); a cell is a list of values."""

    heading: str
    caption: str
    headers: list[str]
    rows: list[tuple[str, list[list[V]]]] = field(default_factory=list)
    note: str = ""


def local(iri: str) -> str:
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]


def date_key(ix: Index, iri: str) -> str:
    for p in ("startDate", "inOfficeOn", "date", "seriesStartDate", "endDate"):
        found = ix.lits(iri, IP5 + p)
        if found:
            return min(x.value for x in found)
    return "9999"


def dates(ix: Index, iri: str, prop: str) -> list[V]:
    return [V(format_date(x.value)) for x in ix.lits(iri, IP5 + prop)]


class RecordTables:
    """Tables of records for one site: the index, a linker, the name records, records by entity."""

    def __init__(self, ix: Index, link: Linker) -> None:
        self.ix, self.link = ix, link
        self.org_names = Names(ix)
        self.records_of: dict[str, list[str]] = {}
        for iri in sorted(ix.out):
            if ix.is_record(iri):
                for p, o in ix.out[iri]:
                    if isinstance(o, str) and p != DCTERMS_SOURCE and not p.endswith("#tier"):
                        self.records_of.setdefault(o, [])
                        if iri not in self.records_of[o]:
                            self.records_of[o].append(iri)

    def prop_label(self, p: str) -> str:
        return self.ix.label(p) if self.ix.labels.get(p) else local(p)

    def at(self, iri: str, day: str) -> V:
        """An entity named as it was on `day` (an office renamed since: 'SIPO (now CNIPA)')."""
        return at(self.org_names, self.link, iri, day)

    def _records(self, iri: str, kind_type: str, prop: str) -> list[str]:
        found = [
            r
            for r in self.records_of.get(iri, [])
            if IP5 + kind_type in self.ix.types.get(r, ()) and iri in self.ix.iris(r, IP5 + prop)
        ]
        return sorted(found, key=lambda r: (date_key(self.ix, r), r))

    def tenure_tables(self, iri: str) -> list[Table]:
        ix, out = self.ix, []
        heads = self._records(iri, "Tenure", "organization")
        if heads:
            t = Table(
                "Heads",
                f"Heads of {ix.label(iri)}, in order of their terms",
                ["Head", "Title", "From", "To", "Acting", "Sources"],
            )
            for r in heads:
                t.rows.append((record_anchor(r), self._tenure_row(r, "holder")))
            out.append(t)
        posts = self._records(iri, "Tenure", "holder")
        if posts:
            t = Table(
                "Posts", f"Posts held by {ix.label(iri)}", ["Organisation", "Title", "From", "To", "Acting", "Sources"]
            )
            for r in posts:
                t.rows.append((record_anchor(r), self._tenure_row(r, "organization")))
            out.append(t)
        return out

    def _tenure_row(self, r: str, other: str) -> list[list[V]]:
        ix = self.ix
        titles = [V(x.value, lang=x.lang if x.lang != "en" else "") for x in ix.lits(r, IP5 + "title")]
        start = dates(ix, r, "startDate") or [V(f"in office on {v.text}") for v in dates(ix, r, "inOfficeOn")]
        end = dates(ix, r, "endDate") or [V("not stated")]
        acting = any(x.value in ("true", "1") for x in ix.lits(r, IP5 + "acting"))
        day = event_day(ix, r)
        return [
            [self.at(o, day) for o in ix.iris(r, IP5 + other)],
            titles,
            start,
            end,
            [V("acting" if acting else "no")],
            self.link.sources(ix.record_sources(r)),
        ]

    def participation_tables(self, iri: str) -> list[Table]:
        ix, out = self.ix, []
        people = self._records(iri, "Participation", "meeting")
        if people:
            t = Table(
                "Participants",
                f"Who took part in {ix.label(iri)}, and in what role",
                ["Person", "Role", "Representing", "On behalf of", "Capacity", "Sources"],
            )
            people.sort(key=lambda r: (self._role_rank(r), ix.label(next(iter(ix.iris(r, IP5 + "participant")), r))))
            day = event_day(ix, iri)
            for r in people:
                t.rows.append(
                    (
                        record_anchor(r),
                        [
                            [self.at(o, day) for o in ix.iris(r, IP5 + "participant")],
                            [self.link.entity(o) for o in ix.iris(r, IP5 + "role")],
                            [self.at(o, day) for o in ix.iris(r, IP5 + "representing")],
                            [self.at(o, day) for o in ix.iris(r, IP5 + "onBehalfOf")],
                            [V(x.value) for x in ix.lits(r, IP5 + "capacity")],
                            self.link.sources(ix.record_sources(r)),
                        ],
                    )
                )
            out.append(t)
        for prop, heading, caption in (
            ("participant", "Meetings", "Meetings {} took part in"),
            ("representing", "Represented at meetings", "Meetings {} was represented at"),
            ("onBehalfOf", "Stood in for at meetings", "Meetings where someone stood in for {}"),
        ):
            found = self._records(iri, "Participation", prop)
            if not found:
                continue
            rows = []
            for r in found:
                meeting = next(iter(ix.iris(r, IP5 + "meeting")), "")
                when = dates(ix, meeting, "startDate") or dates(ix, meeting, "date") if meeting else []
                rows.append(
                    (
                        (date_key(ix, meeting), meeting, r),
                        (
                            record_anchor(r) if prop == "participant" else "",
                            [
                                [self.link.entity(meeting)] if meeting else [],
                                when,
                                [self.at(o, event_day(ix, meeting)) for o in ix.iris(r, IP5 + "participant")],
                                [self.link.entity(o) for o in ix.iris(r, IP5 + "role")],
                                self.link.sources(ix.record_sources(r)),
                            ],
                        ),
                    )
                )
            rows.sort(key=lambda x: x[0])
            out.append(
                Table(
                    heading,
                    caption.format(ix.label(iri)),
                    ["Meeting", "Date", "Person", "Role", "Sources"],
                    [row for _, row in rows],
                )
            )
        return out

    def _role_rank(self, r: str) -> int:
        roles = [local(o) for o in self.ix.iris(r, IP5 + "role")]
        return min((ROLE_ORDER.index(x) if x in ROLE_ORDER else len(ROLE_ORDER)) for x in roles) if roles else 99
