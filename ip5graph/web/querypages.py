"""Query pages: the answer of every named query as a table whose cells read as words (labels as
link text, the IRI on hover; dates and numbers formatted), with its parameters changeable offline.

Why precomputed: a static site has no server, and most parameters range over a small set the graph
offers (5 offices, 32 meetings, 61 people, 4 languages, the meeting days). Every such value's
answer is computed at build time and shown by a select (JavaScript); without JavaScript the example
value's answer is shown. Larger sets (any entity) are capped at VALUES_MAX; the entity's own page
covers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ip5graph.rdf.namespaces import ID, IP5
from ip5graph.web.entities import LANG_NAMES, kind_of, term
from ip5graph.web.entitypages import SiteData
from ip5graph.web.infobox import Table
from ip5graph.web.values import V, format_date

VALUES_MAX = 80


@dataclass
class Answer:
    value: str  # the parameter value as the CLI takes it ('office:jpo')
    label: str  # as a person reads it
    table: Table
    rows: int


@dataclass
class ParamChoice:
    name: str
    description: str
    example: str
    answers: list[Answer] = field(default_factory=list)
    note: str = ""


def result_table(sd: SiteData, result: Any, title: str, caption: str) -> tuple[Table, int]:
    """A query Result as a Table of readable values."""
    rows: list[tuple[Any, ...]]
    if result.is_graph:
        headers = ["subject", "predicate", "object"]
        rows = sorted(((t.subject, t.predicate, t.object) for t in result.triples), key=lambda r: tuple(map(str, r)))
    elif result.form == "SELECT":
        headers, rows = list(result.variables), list(result.rows)
    else:
        headers, rows = ["answer"], [(None,)]
    table = Table(title, caption, headers)
    for row in rows:
        cells: list[list[V]] = []
        for t in row:
            if t is None:
                cells.append([V(("yes" if result.boolean else "no") if result.form == "ASK" else "")])
                continue
            value = term(t)
            if value is None:
                cells.append([V("(blank node)")])
                continue
            v = sd.link.term(value)
            if isinstance(value, str) and not v.href and v.text == value:
                v = V(sd.ix.label(value), title=value)
            cells.append([v])
        table.rows.append(("", cells))
    return table, len(rows)


def candidate_values(sd: SiteData, param: Any) -> tuple[list[tuple[str, str]], str]:
    """(value, label) pairs the graph offers for a parameter, and a note when capped."""
    example = param.example or ""
    if param.type == "iri":
        kind = example.split(":", 1)[0] if ":" in example else example.split("/", 1)[0]
        found = [e for e in sd.entities if kind_of(e) == kind]
        values = [(f"{kind}:{e[len(ID) + len(kind) + 1 :]}", sd.ix.label(e)) for e in found]
        note = ""
        if len(values) > VALUES_MAX:
            note = f"Showing the first {VALUES_MAX} of {len(values)}; every entity's page shows its own facts."
            values = values[:VALUES_MAX]
        return values, note
    if param.type == "lang":
        langs = sorted({lang for ls in sd.ix.labels.values() for lang, vs in ls.items() if lang and vs})
        return [(lang, LANG_NAMES.get(lang, lang)) for lang in langs], ""
    if param.type == "date":
        days = sorted(
            {
                x.value[:10]
                for e in sd.entities
                if kind_of(e) == "meeting"
                for x in sd.ix.lits(e, IP5 + "startDate")
                if len(x.value) >= 10
            }
        )
        return [(d, format_date(d)) for d in days], "The days of the meetings; for any other day, use the command line."
    return ([(example, example)] if example else []), ""


def param_choices(sd: SiteData, engine: Any, q: Any) -> list[ParamChoice]:
    """For a query with one parameter: the answer for every value the graph offers."""
    from ip5graph.query import parameters

    out = []
    for p in q.params:
        if p.example is None:
            continue
        others = {o.name: o.example for o in q.params if o.name != p.name}
        values, note = candidate_values(sd, p)
        if p.example not in [v for v, _ in values]:
            values = [(p.example, p.example), *values]
        choice = ParamChoice(p.name, p.description, p.example, note=note)
        for value, label in values:
            result = engine.run(parameters.prepare_named(q, {**others, p.name: value}))
            table, n = result_table(sd, result, "Answer", f"{q.title}, for {p.name} = {label}")
            choice.answers.append(Answer(value, label, table, n))
        out.append(choice)
    return out
