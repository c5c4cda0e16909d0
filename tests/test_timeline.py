"""timeline.py: dates at their precision, bars per tenure, acting marked, sources in hover text."""

from __future__ import annotations

import pytest

from ip5graph.rdf.namespaces import ID
from ip5graph.web import timeline


@pytest.fixture(scope="module")
def G(net):
    return net


def test_span_keeps_the_precision():
    assert timeline.span("2021") == (2021.0, 2022.0)
    assert timeline.span("2021-07") == pytest.approx((2021.5, 2021 + 7 / 12))
    start, end = timeline.span("2021-01-01")
    assert start == 2021.0 and end == pytest.approx(2021 + 1 / 365)
    assert timeline.span("not a date") is None
    assert timeline.span("2021-13") is None


def test_collect_meetings_and_bars(G):
    marks, lanes, undated, (lo, hi) = timeline.collect(G)
    assert [m.ordinal for m in marks] == ["13", "14", "15"]
    by_org = {lane.org: lane for lane in lanes}
    assert [lane.label for lane in lanes] == [  # patent offices first, then by label
        "China National Intellectual Property Administration",
        "European Patent Office",
        "Japan Patent Office",
        "United States Patent and Trademark Office",
        "World Intellectual Property Organization",
    ]
    hirshfeld = by_org[ID + "office/uspto"].bars[0]
    assert hirshfeld.acting and not hirshfeld.start_known  # only "in office on" a date
    shen = by_org[ID + "office/cnipa"].bars[0]
    assert (shen.start, shen.end) == (2015.0, 2023.0)  # gYear 2015 .. gYear 2022 inclusive
    kasutani = by_org[ID + "office/jpo"].bars[0]
    assert kasutani.attrs["_open"] and kasutani.tail == hi  # no end given: runs to the axis end
    assert undated == [] and lo == 2015.0


def test_timeline_graph_places_time_left_to_right(G):
    sub, pos = timeline.timeline_graph(G)
    assert sorted(pos) == sorted(sub)
    m20, m21, m22 = (ID + f"meeting/heads-{y}" for y in (2020, 2021, 2022))
    assert pos[m20][0] < pos[m21][0] < pos[m22][0]
    assert ID + "person/kasutani-toshihide" in sub and ID + "office/jpo" in sub
