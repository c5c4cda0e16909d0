"""The timeline page: office names in a column that never scrolls away, bars and meetings as links
(keyboard-focusable; focus, tap or hover shows the details), 2007 to the last date fitting the
screen with a button for the earlier years, and the same facts as tables for readers without sight
or scripts. Bars and marks come from ip5graph.axis.collect (one reading of the dates). An office is named
as it was at the item's date ("SIPO (now CNIPA)") by web/names.py, the rule of the entity pages and of
queries 02 and 22; the lanes on the left are the offices themselves, so they keep today's names.
"""

from __future__ import annotations

import networkx as nx
from markupsafe import Markup

from ip5graph.network.navigation import sources_of
from ip5graph.rdf.namespaces import IP5
from ip5graph.web import timeline as axis
from ip5graph.web.infobox import Table
from ip5graph.web.names import Names, at, event_day
from ip5graph.web.values import Linker, V, format_date

START_YEAR = 2007.0
LANE_ROW = 26.0
LANE_GAP = 10.0
MEET_LANE = 44.0
PX_PER_YEAR = 60.0


def _f(x: float) -> str:
    return f"{x:.1f}"


def _named(names: Names, org: str, day: str, today: str) -> str:
    """The office's name on `day` when it went by another one then ("SIPO (now CNIPA)"), else `today`."""
    found = names.then(org, day)
    return found[0] if found else today


def _tenure_day(names: Names, bar: axis.Bar) -> str:
    """The day a term began (or its holder is first known in office): the tenure record's, as on its pages."""
    iri = bar.attrs.get("iri")
    return event_day(names.ix, iri) if isinstance(iri, str) else ""


def _hosts(g: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted({v for _, v, a in g.out_edges(node, data=True) if a.get("prop") == IP5 + "host"})


def _bar_text(g: nx.MultiDiGraph, names: Names, bar: axis.Bar) -> str:
    a = bar.attrs
    who = g.nodes[bar.holder]["label"]
    start = ", ".join(format_date(d) for d in a.get("startDate", [])) or "in office on " + ", ".join(
        format_date(d) for d in a.get("inOfficeOn", [])
    )
    end = ", ".join(format_date(d) for d in a.get("endDate", [])) or "end not stated"
    title = a.get("title") or "head"
    sources = ", ".join(r["id"] for r in sources_of(g, a.get("sources", [])))
    return (
        f"{who}{' (acting)' if bar.acting else ''}: {title}, "
        f"{_named(names, bar.org, _tenure_day(names, bar), g.nodes[bar.org]['label'])}; from {start} "
        f"to {end}. Sources: {sources or 'none given'}"
    )


def _meeting_text(g: nx.MultiDiGraph, names: Names, m: axis.Mark) -> str:
    a = g.nodes[m.node]
    when = ", ".join(format_date(d) for d in a.get("dates", {}).get("startDate", []))
    day = event_day(names.ix, m.node)
    hosts = ", ".join(_named(names, h, day, g.nodes[h]["label"]) for h in _hosts(g, m.node))
    sources = ", ".join(r["id"] for r in sources_of(g, a.get("sources", [])))
    return f"{a['label']}: {when}{f'; hosted by {hosts}' if hosts else ''}. Sources: {sources or 'none given'}"


def timeline(g: nx.MultiDiGraph, link: Linker, names: Names) -> tuple[Markup, list[Table]]:
    """The timeline's HTML (names column + SVG) and its tables; `names`: the site's name records."""
    marks, lanes, undated, (lo, hi) = axis.collect(g)
    if not marks and not lanes:
        return Markup("<p>No dated heads meetings or tenures in this graph.</p>"), []
    first = max(lo, min(START_YEAR, hi - 1))
    width = (hi - lo) * PX_PER_YEAR

    def x(t: float) -> float:
        return (t - lo) * PX_PER_YEAR

    tops: list[tuple[float, float, str, str]] = [(0.0, MEET_LANE, "Heads meetings", "")]
    y = MEET_LANE + LANE_GAP
    for lane in lanes:
        h = lane.rows * LANE_ROW + 6
        tops.append((y, h, lane.label, lane.org))
        y += h + LANE_GAP
    height = y + 24
    out = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="timeline" id="timeline-svg" '
            'viewBox="{} 0 {} {}" data-full="{} 0 {} {}" data-recent="{} 0 {} {}" width="100%" '
            'preserveAspectRatio="xMinYMin meet" role="group" aria-label="Timeline of heads meetings and '
            'office heads">'
        ).format(
            _f(x(first)),
            _f(width - x(first)),
            _f(height),
            "0",
            _f(width),
            _f(height),
            _f(x(first)),
            _f(width - x(first)),
            _f(height),
        )
    ]
    out.append(
        Markup(
            "<style>text{font:12px sans-serif;fill:#1d1d1d}.tick{fill:#444}.bar{fill:#8fb3d9;"
            "stroke:#1f3a5f}.tail{fill:#e3ebf5;stroke:#8fa3bb;stroke-dasharray:3 2}.acting{fill:#f3c98b;"
            "stroke:#b5651d}.meet{fill:#d62728;stroke:#600}a:focus rect,a:focus circle,a:hover rect,"
            "a:hover circle{stroke:#000;stroke-width:3}</style>"
        )
    )
    for year in range(int(lo), int(hi) + 1):
        xx = x(float(year))
        out.append(
            Markup(
                '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#e4e4e4"/><text class="tick" x="{}" y="{}">{}</text>'
            ).format(_f(xx), _f(xx), _f(height - 18), _f(xx + 2), _f(height - 6), year)
        )
    for top, h, _, _ in tops:
        out.append(
            Markup('<rect x="0" y="{}" width="{}" height="{}" fill="#f4f7fa"/>').format(_f(top), _f(width), _f(h))
        )
    for m in marks:
        v = link.entity(m.node)
        text = _meeting_text(g, names, m)
        out.append(
            Markup(
                '<a href="{}" class="tl-item" data-details="{}" aria-label="{}"><title>{}</title>'
                '<circle class="meet" cx="{}" cy="{}" r="7"/><text x="{}" y="{}">{}</text></a>'
            ).format(
                v.href,
                text,
                text,
                text,
                _f(x(m.at)),
                _f(28),
                _f(x(m.at) - 5),
                _f(14),
                m.ordinal,
            )
        )
    for lane, (top, _, _, _) in zip(lanes, tops[1:], strict=True):
        for bar in lane.bars:
            by = top + 4 + bar.row * LANE_ROW
            x0, x1, x2 = x(bar.start), x(bar.end), x(bar.tail)
            text = _bar_text(g, names, bar)
            v = link.entity(bar.holder)
            parts = [
                Markup('<a href="{}" class="tl-item" data-details="{}" aria-label="{}"><title>{}</title>').format(
                    v.href, text, text, text
                )
            ]
            if x2 > x1 + 0.05:
                parts.append(
                    Markup('<rect class="tail" x="{}" y="{}" width="{}" height="{}"/>').format(
                        _f(x1), _f(by), _f(x2 - x1), _f(LANE_ROW - 6)
                    )
                )
            parts.append(
                Markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>').format(
                    "acting" if bar.acting else "bar", _f(x0), _f(by), _f(max(x1 - x0, 3.0)), _f(LANE_ROW - 6)
                )
            )
            who = g.nodes[bar.holder]["label"] + (" (acting)" if bar.acting else "")
            if len(who) * 6.6 < (x2 - x0) - 4:
                parts.append(Markup('<text x="{}" y="{}">{}</text>').format(_f(x0 + 3), _f(by + LANE_ROW - 11), who))
            parts.append(Markup("</a>"))
            out.append(Markup("").join(parts))
    out.append(Markup("</svg>"))
    lane_names = Markup("").join(
        Markup('<div class="tl-name" style="height:{}px;margin-bottom:{}px">{}</div>').format(
            _f(h), _f(LANE_GAP), (link.ix.first_lit(org, IP5 + "abbreviation") or label) if org else label
        )
        for _, h, label, org in tops
    )
    body = Markup(
        '<div class="tl-controls"><button type="button" id="tl-zoom" aria-pressed="false">Show the years from {}</button>'
        '</div><div class="tl" data-height="{}"><div class="tl-names" aria-hidden="true">{}</div>'
        '<div class="tl-chart">{}</div></div><div id="timeline-details" class="tl-details" aria-live="polite">'
        '<p class="muted">Focus, tap or hover a bar or a meeting for its details; press Enter to open its page.'
        '</p></div><p class="muted">Bars: heads of each office (orange: acting). A pale dashed end: the sources do '
        "not give the end. The tables below say the same.</p>"
    ).format(int(lo), _f(height), lane_names, Markup("").join(out))
    return body, tables(g, link, names, marks, lanes, undated)


def tables(
    g: nx.MultiDiGraph,
    link: Linker,
    names: Names,
    marks: list[axis.Mark],
    lanes: list[axis.Lane],
    undated: list[str],
) -> list[Table]:
    """The timeline as tables; offices named as at each meeting's or term's date, linking to today's page."""
    meetings = Table("Heads meetings", "The heads meetings in time order", ["Meeting", "Date", "Host", "Ordinal"])
    for m in marks:
        dates = g.nodes[m.node].get("dates", {}).get("startDate", [])
        day = event_day(names.ix, m.node)
        hosts = [at(names, link, h, day) for h in _hosts(g, m.node)]
        meetings.rows.append(("", [[link.entity(m.node)], [V(format_date(d)) for d in dates], hosts, [V(m.ordinal)]]))
    heads = Table(
        "Heads of the offices", "Who headed each office, in order", ["Head", "Office", "From", "To", "Acting"]
    )
    for lane in lanes:
        for bar in lane.bars:
            a = bar.attrs
            heads.rows.append(
                (
                    "",
                    [
                        [link.entity(bar.holder)],
                        [at(names, link, bar.org, _tenure_day(names, bar))],
                        [V(format_date(d)) for d in a.get("startDate", a.get("inOfficeOn", []))],
                        [V(format_date(d)) for d in a.get("endDate", [])] or [V("not stated")],
                        [V("acting" if bar.acting else "no")],
                    ],
                )
            )
    out = [meetings, heads]
    if undated:
        t = Table("Undated terms", "Terms of office the sources give no date for", ["Term"])
        t.rows.extend(("", [[V(u)]]) for u in undated)
        out.append(t)
    return out


def timeline_graph(g: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    return axis.timeline_graph(g)
