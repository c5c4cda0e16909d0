"""A timeline of the heads meetings and of each office's heads, as static SVG (no script needed).

Why SVG: it prints, it scales, and hover text is a plain <title> element, so every source can
be shown without any JavaScript. Bars whose end the sources do not give are drawn up to the
next known head (or the last date in the graph) with a dashed, paler tail; acting terms are
hatched and say "(acting)".

Also: `timeline_graph` places the same people, offices and meetings on a time axis for the
interactive graph view of the timeline page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ip5graph.network import navigation, vocabulary
from ip5graph.rdf.namespaces import IP5

PX_PER_YEAR = 72.0
LEFT = 250.0
TOP = 40.0
ROW = 22.0
LANE_GAP = 14.0
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def span(text: str) -> tuple[float, float] | None:
    """A date at its precision as (start, end) in fractional years: '2021' -> (2021.0, 2022.0)."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    if not m.group(2):
        return float(year), float(year + 1)
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if not m.group(3):
        return year + (month - 1) / 12.0, year + month / 12.0
    try:
        day = dt.date(year, month, int(m.group(3)))
    except ValueError:
        return None
    days = 366 if calendar.isleap(year) else 365
    start = year + (day.timetuple().tm_yday - 1) / days
    return start, start + 1.0 / days


@dataclass
class Bar:
    """One tenure on one office's lane."""

    holder: str
    org: str
    start: float
    end: float  # end of what the sources show
    tail: float  # where the drawn bar stops (>= end; beyond `end` is not sourced)
    acting: bool
    start_known: bool
    attrs: dict[str, Any]
    row: int = 0


@dataclass
class Lane:
    org: str
    label: str
    bars: list[Bar] = field(default_factory=list)
    rows: int = 1


@dataclass
class Mark:
    """One heads meeting on the meetings lane."""

    node: str
    at: float
    ordinal: str


def _first(values: list[str] | None) -> tuple[float, float] | None:
    spans = [s for s in (span(v) for v in values or []) if s]
    return min(spans) if spans else None


def _last(values: list[str] | None) -> tuple[float, float] | None:
    spans = [s for s in (span(v) for v in values or []) if s]
    return max(spans, key=lambda s: s[1]) if spans else None


def collect(g: nx.MultiDiGraph) -> tuple[list[Mark], list[Lane], list[str], tuple[float, float]]:
    """Meetings, lanes of tenure bars, undated tenures (their edge labels), and the time range."""
    marks: list[Mark] = []
    for v in sorted(g):
        a = g.nodes[v]
        if a.get("cls") != IP5 + "HeadsMeeting":
            continue
        when = _first(a.get("dates", {}).get("startDate")) or _first(a.get("dates", {}).get("date"))
        if when:
            ordinal = next((f[1] for f in a.get("facts", []) if f[0] == "ordinal"), "")
            marks.append(Mark(v, when[0], ordinal))
    lanes: dict[str, Lane] = {}
    undated: list[str] = []
    for u, v, _, attrs in navigation.iter_edges_sorted(g):
        if attrs.get("prop") != vocabulary.TENURE:
            continue
        start = _first(attrs.get("startDate"))
        seen = _last(attrs.get("inOfficeOn"))
        first_seen = _first(attrs.get("inOfficeOn"))
        end = _last(attrs.get("endDate"))
        begin = start or first_seen
        if not begin:
            undated.append(f"{g.nodes[u]['label']} {attrs.get('label', 'headed')} {g.nodes[v]['label']}")
            continue
        stop = end[1] if end else max(begin[1], seen[1] if seen else begin[1])
        lane = lanes.setdefault(v, Lane(v, g.nodes[v]["label"]))
        lane.bars.append(
            Bar(u, v, begin[0], stop, stop, bool(attrs.get("acting")), bool(start), attrs | {"_open": not end})
        )
    times = [m.at for m in marks] + [b.end for lane in lanes.values() for b in lane.bars]
    times += [b.start for lane in lanes.values() for b in lane.bars]
    if not times:
        return marks, [], undated, (0.0, 0.0)
    lo, hi = float(int(min(times))), float(int(max(times)) + 1)
    for lane in lanes.values():
        lane.bars.sort(key=lambda b: (b.start, b.end, b.holder))
        for i, bar in enumerate(lane.bars):
            if bar.attrs["_open"]:
                later = [b.start for b in lane.bars[i + 1 :] if b.start > bar.end and not b.acting]
                bar.tail = max(bar.end, min(later) if later else hi)
        row_ends: list[float] = []
        for bar in lane.bars:
            for r, free_at in enumerate(row_ends):
                if bar.start >= free_at - 0.01:  # a day of overlap at a hand-over is not a clash
                    bar.row, row_ends[r] = r, bar.tail
                    break
            else:
                bar.row = len(row_ends)
                row_ends.append(bar.tail)
        lane.rows = max(1, len(row_ends))
    ordered = sorted(lanes.values(), key=lambda ln: (g.nodes[ln.org].get("cls") != IP5 + "PatentOffice", ln.label))
    return sorted(marks, key=lambda m: (m.at, m.node)), ordered, undated, (lo, hi)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _sources_text(g: nx.MultiDiGraph, keys: list[str]) -> str:
    recs = navigation.sources_of(g, keys)
    if not recs:
        return "Sources: none given"
    lines = [
        f"{r['id']} ({r.get('tier') or 'tier not given'}): {r.get('label', '')}"
        + (f" <{r['address']}>" if r.get("address") else "")
        for r in recs
    ]
    return "Sources:\n" + "\n".join(lines)


def _bar_title(g: nx.MultiDiGraph, bar: Bar) -> str:
    a = bar.attrs
    who = g.nodes[bar.holder]["label"]
    lines = [f"{who}{' (acting)' if bar.acting else ''}: {a.get('title') or 'head'}, {g.nodes[bar.org]['label']}"]
    for name in ("startDate", "endDate", "inOfficeOn"):
        if a.get(name):
            lines.append(f"{vocabulary.humanize(name)}: {', '.join(a[name])}")
    if a["_open"]:
        lines.append("end not stated in the sources (paler part of the bar)")
    lines.append(_sources_text(g, a.get("sources", [])))
    return "\n".join(lines)


def _meeting_title(g: nx.MultiDiGraph, m: Mark) -> str:
    a = g.nodes[m.node]
    lines = [a["label"]]
    for name, values in sorted(a.get("dates", {}).items()):
        lines.append(f"{vocabulary.humanize(name)}: {', '.join(values)}")
    for _, v, k, attrs in sorted(g.out_edges(m.node, keys=True, data=True), key=lambda e: (e[2], e[1])):
        if k in ("host", "chair", "place"):
            lines.append(f"{attrs.get('label', k)}: {g.nodes[v]['label']}")
    for u, _, _, attrs in sorted(g.in_edges(m.node, keys=True, data=True), key=lambda e: (e[2], e[0])):
        if attrs.get("role_key") in ("chair", "co-chair"):
            lines.append(f"{attrs['label']} by: {g.nodes[u]['label']}")
    lines.append(_sources_text(g, a.get("sources", [])))
    return "\n".join(lines)


def timeline_svg(g: nx.MultiDiGraph) -> str:
    """The SVG markup (all text escaped); an explanatory paragraph when nothing is dated."""
    marks, lanes, undated, (lo, hi) = collect(g)
    if not marks and not lanes:
        return "<p>No dated heads meetings or tenures in this graph.</p>"
    esc = html.escape

    def x(t: float) -> float:
        return LEFT + (t - lo) * PX_PER_YEAR

    width = x(hi) + 20
    y = TOP
    out: list[str] = []
    lane_tops: list[tuple[float, float, str]] = []
    y_meet = y + 18
    lane_tops.append((y, 40.0, "Heads meetings"))
    y += 40 + LANE_GAP
    for lane in lanes:
        h = lane.rows * ROW + 6
        lane_tops.append((y, h, lane.label))
        y += h + LANE_GAP
    height = y + 10
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{_f(width)}" '
        f'height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" role="img" '
        'aria-label="Timeline of IP5 heads meetings and of the heads of each office">'
    )
    out.append(
        '<defs><pattern id="acting" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3c98b"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b5651d" stroke-width="2"/></pattern></defs>'
    )
    out.append(
        "<style>text{font:11px sans-serif;fill:#222}.lane{font-weight:600}.tick{fill:#666}"
        ".bar{fill:#8fb3d9;stroke:#1f3a5f}.tail{fill:#dde7f2;stroke:#8fa3bb;stroke-dasharray:3 2}"
        ".acting{fill:url(#acting);stroke:#b5651d}.meet{fill:#d62728;stroke:#600}</style>"
    )
    for year in range(int(lo), int(hi) + 1):
        xx = x(float(year))
        out.append(f'<line x1="{_f(xx)}" y1="{_f(TOP - 8)}" x2="{_f(xx)}" y2="{_f(height - 10)}" stroke="#e4e4e4"/>')
        out.append(f'<text class="tick" x="{_f(xx + 2)}" y="{_f(TOP - 12)}">{year}</text>')
    for top, h, label in lane_tops:
        out.append(f'<rect x="0" y="{_f(top)}" width="{_f(width)}" height="{_f(h)}" fill="#f7f9fb" opacity="0.6"/>')
        out.append(f'<text class="lane" x="8" y="{_f(top + 15)}">{esc(label)}</text>')
    for m in marks:
        out.append(
            f"<g><title>{esc(_meeting_title(g, m))}</title>"
            f'<circle class="meet" cx="{_f(x(m.at))}" cy="{_f(y_meet)}" r="6"/>'
            f'<text x="{_f(x(m.at) - 4)}" y="{_f(y_meet - 9)}">{esc(m.ordinal)}</text></g>'
        )
    for lane, (top, _, _) in zip(lanes, lane_tops[1:], strict=True):
        for bar in lane.bars:
            by = top + 4 + bar.row * ROW
            x0, x1, x2 = x(bar.start), x(bar.end), x(bar.tail)
            who = g.nodes[bar.holder]["label"] + (" (acting)" if bar.acting else "")
            parts = [f"<g><title>{esc(_bar_title(g, bar))}</title>"]
            if x2 > x1 + 0.05:
                parts.append(
                    f'<rect class="tail" x="{_f(x1)}" y="{_f(by)}" width="{_f(x2 - x1)}" height="{_f(ROW - 6)}"/>'
                )
            cls = "acting" if bar.acting else "bar"
            parts.append(
                f'<rect class="{cls}" x="{_f(x0)}" y="{_f(by)}" width="{_f(max(x1 - x0, 2.0))}" '
                f'height="{_f(ROW - 6)}"/>'
            )
            if len(who) * 6.8 < (x2 - x0) - 6:
                parts.append(f'<text x="{_f(x0 + 3)}" y="{_f(by + ROW - 10)}">{esc(who)}</text>')
            parts.append("</g>")
            out.append("".join(parts))
    out.append("</svg>")
    legend = (
        '<p class="muted">Red dots: heads meetings (hover for date, host, chair and sources). Bars: heads '
        "of each office; hatched bars are acting terms; a pale dashed tail means the sources do not "
        "give the end, so the bar runs on to the next known head.</p>"
    )
    body = '<div style="overflow-x:auto">' + "".join(out) + "</div>" + legend
    if undated:
        items = "".join(f"<li>{esc(t)}</li>" for t in undated)
        body += f"<p>Tenures without any date in the sources:</p><ul>{items}</ul>"
    return body


def timeline_graph(g: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    """The timeline's meetings, heads and offices as a graph, placed on the same time axis."""
    marks, lanes, _, (lo, _) = collect(g)
    pos: dict[str, tuple[float, float]] = {}
    scale = PX_PER_YEAR * 1.6
    for m in marks:
        pos[m.node] = ((m.at - lo) * scale, 0.0)
    for i, lane in enumerate(lanes, start=1):
        base = i * 160.0
        pos.setdefault(lane.org, (-180.0, base))
        for bar in lane.bars:
            mid = (bar.start + bar.end) / 2
            pos.setdefault(bar.holder, ((mid - lo) * scale, base + bar.row * 40.0 + 40.0))
    sub = navigation.induced(g, pos)
    return sub, {k: pos[k] for k in sorted(pos)}
