"""The overview's layout: one band per group of classes, read top to bottom (meetings in time order,
then organisations, people, initiatives, documents, the rest), each band a grid of cells wide enough
for a wrapped label, so labels do not overlap. O(n): fine for the 10k-node benchmark graph.
"""

from __future__ import annotations

import math

import networkx as nx

CELL_W = 210.0
CELL_H = 160.0
BAND_GAP = 90.0
FONT_SIZE = 20  # px at zoom 1: the first view (about 0.4) still draws them (vis skips labels under 5 px)
LABEL_WIDTH = 170  # px: vis wraps longer labels (widthConstraint) so they stay inside a cell
BANDS: list[tuple[str, tuple[str, ...]]] = [
    ("Meetings", ("HeadsMeeting", "HeadsIndustryMeeting", "DeputyHeadsMeeting", "Meeting")),
    ("Organisations", ("PatentOffice", "InternationalOrganization", "IndustryAssociation", "Forum", "WorkingGroup")),
    ("People", ("Person",)),
    ("Initiatives and documents", ("Initiative", "OutcomeDocument", "Aim")),
]
START_BANDS = 3  # the first view shows the meetings, organisations and people


def _band(cls: str) -> int:
    name = cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    for i, (_, members) in enumerate(BANDS):
        if name in members:
            return i
    return len(BANDS)


def _when(g: nx.MultiDiGraph, v: str) -> str:
    dates = g.nodes[v].get("dates", {})
    for key in ("startDate", "date", "seriesStartDate"):
        if dates.get(key):
            return min(dates[key])
    return "9999"


def band_layout(g: nx.MultiDiGraph, *, columns: int | None = None) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Positions, and the nodes the first view should fit (the first START_BANDS bands)."""
    bands: dict[int, list[str]] = {}
    for v in sorted(g):
        bands.setdefault(_band(g.nodes[v].get("cls", "")), []).append(v)
    n = len(g)
    cols = columns or max(8, min(40, math.ceil(math.sqrt(max(n, 1) * 0.6))))
    pos: dict[str, tuple[float, float]] = {}
    start: list[str] = []
    y = 0.0
    for b in sorted(bands):
        members = bands[b]
        if b == 0:
            members.sort(key=lambda v: (_when(g, v), v))
        else:
            members.sort(key=lambda v: (g.nodes[v].get("cls", ""), g.nodes[v].get("label", "").casefold(), v))
        for i, v in enumerate(members):
            row, col = divmod(i, cols)
            pos[v] = (col * CELL_W, y + row * CELL_H)
        if b < START_BANDS:
            start.extend(members)
        y += math.ceil(len(members) / cols) * CELL_H + BAND_GAP
    return {v: pos[v] for v in sorted(pos)}, sorted(start)


def start_indices(g: nx.MultiDiGraph, start: list[str]) -> list[int]:
    """The page-data indices (sorted node order) of the nodes to fit first."""
    order = {v: i for i, v in enumerate(sorted(g.nodes))}
    return [order[v] for v in start if v in order]
