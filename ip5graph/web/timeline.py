"""The timeline's one reading of the dates: heads meetings as marks and each office's heads as bars.

Why apart from the page (web/timelinepage.py draws it): the page and the timeline's graph view
(`timeline_graph`, the same people, offices and meetings placed on a time axis) must agree on
every date. Bars whose end the sources do not give run up to the next known head (or the last
date in the graph) and say so; acting terms are marked.
"""

from __future__ import annotations

import calendar
import datetime as dt
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
