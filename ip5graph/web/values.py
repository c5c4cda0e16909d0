"""How one RDF term reads on a page: an entity as a link with its label (the IRI on hover), a date
at its precision ('23 June 2021', 'June 2021', '2021'), a number without a spurious '.0', a boolean
as yes/no, an address as an outside link only when it is an http(s) URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ip5graph.rdf.namespaces import IP5
from ip5graph.web import paths
from ip5graph.web.entities import Index, Lit, Term

XSD = "http://www.w3.org/2001/XMLSchema#"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.I)


@dataclass(frozen=True)
class V:
    """One value in a cell: text, and a link (a page of the site, or `ext` for an outside address)."""

    text: str
    href: str = ""
    key: str = ""  # the entity's page stem: the page script swaps the text for the chosen language
    title: str = ""  # shown on hover: the IRI
    lang: str = ""
    ext: bool = False


def format_date(text: str) -> str:
    """'2021-06-23' -> '23 June 2021'; '2021-06' -> 'June 2021'; other text unchanged."""
    m = _DATE.match(text.strip())
    if not m:
        return text
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not month or not 1 <= int(month) <= 12:
        return year
    name = MONTHS[int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def format_literal(lit: Lit) -> str:
    dt = lit.datatype.removeprefix(XSD) if lit.datatype.startswith(XSD) else ""
    if dt in ("date", "dateTime", "gYear", "gYearMonth"):
        return format_date(lit.value[:10])
    if dt == "boolean":
        return "yes" if lit.value in ("true", "1") else "no"
    if dt == "decimal" or dt == "double" or dt == "float":
        try:
            number = float(lit.value)
        except ValueError:
            return lit.value
        return f"{number:,.0f}" if number == int(number) else f"{number:,}"
    if dt in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        try:
            return f"{int(lit.value):,}" if abs(int(lit.value)) >= 10000 else str(int(lit.value))
        except ValueError:
            return lit.value
    return lit.value


class Linker:
    """Makes V values for terms as seen from one page (relative links)."""

    def __init__(self, ix: Index, pages: dict[str, str]) -> None:
        self.ix, self.pages = ix, pages
        self.here = "index.html"
        self._links: dict[tuple[str, str], str] = {}

    def at(self, rel: str) -> Linker:
        self.here = rel
        return self

    def href(self, rel: str) -> str:
        key = (self.here.rsplit("/", 1)[0] if "/" in self.here else "", rel)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = paths.link(self.here, rel)
        return found

    def entity(self, iri: str, text: str = "") -> V:
        page = self.pages.get(iri)
        label = text or self.ix.label(iri)
        if page:
            return V(label, self.href(page), paths.page_stem(iri), iri)
        if self.ix.is_record(iri):
            owner = self.ix.owner(iri)
            if owner in self.pages:
                return V(label, self.href(self.pages[owner]) + "#" + self.anchor(iri, owner), "", iri)
        return V(label, "", "", iri)

    def anchor(self, record: str, owner: str) -> str:
        """Where a record shows on its owner's page: its own table row, or for a statement the row of
        its fact (on the owner's facts table, or the row of the record the statement is about)."""
        subjects = self.ix.iris(record, IP5 + "statementSubject")
        if not subjects:
            return record_anchor(record)
        if subjects[0] == owner:
            prop = next(iter(self.ix.iris(record, IP5 + "statementProperty")), "")
            return "fact-" + prop.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
        return record_anchor(subjects[0])

    def term(self, t: Term) -> V:
        if isinstance(t, str):
            return self.entity(t)
        text = format_literal(t)
        if _URL.match(t.value):
            return V(t.value, t.value, ext=True)
        return V(text, lang=t.lang if t.lang not in ("", "en") else "")

    def sources(self, iris: list[str]) -> list[V]:
        """Source citations: the source id as a link to the source's page, its label on hover."""
        out = []
        for s in iris:
            sid = self.ix.first_lit(s, IP5 + "sourceId") or s.rsplit("/", 1)[-1]
            v = self.entity(s, sid)
            out.append(V(sid, v.href, "", self.ix.label(s)))
        return out


def record_anchor(iri: str) -> str:
    """The id of a record's row on its owner's page: 'tenure-jpo-kasutani-toshihide'."""
    return paths.page_stem(iri).replace("/", "-").removeprefix("id-")
