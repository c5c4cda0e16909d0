"""05-heads-on-date: one holder per office where the sources settle it, a flag where they do not.

The sweep runs the query once with a VALUES block of every date (the first of each month from June
2007 to November 2025 and every day a tenure starts or ends in that span) and checks each (date, office)
against the tenures read straight from the data with rdflib, not through the query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from rdflib import Graph, Namespace

import ip5graph
from ip5graph.kg import resources

IP5 = Namespace("https://w3id.org/ip5graph/ontology#")
ID = "https://w3id.org/ip5graph/id/"
HAS_DATA = bool(resources.data_files())
pytestmark = pytest.mark.skipif(not HAS_DATA, reason="needs the bundled graph data")


def _slug(term: object) -> str:
    return "" if term is None else str(term.value).rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def data(data_rdflib: Graph) -> Graph:
    return data_rdflib


@pytest.fixture(scope="module")
def tenures(data: Graph) -> list[dict]:
    """Every tenure with its office, holder, start, end (strings at their precision) and acting flag."""
    out = []
    for t in data.subjects(IP5.organization, None):
        if (t, IP5.holder, None) not in data:
            continue
        start = data.value(t, IP5.startDate)
        end = data.value(t, IP5.endDate)
        out.append(
            {
                "tenure": str(t).rsplit("/", 1)[1],
                "office": str(data.value(t, IP5.organization)).rsplit("/", 1)[1],
                "holder": str(data.value(t, IP5.holder)).rsplit("/", 1)[1],
                "start": None if start is None else str(start),
                "end": None if end is None else str(end),
                "seen": sorted(str(x) for x in data.objects(t, IP5.inOfficeOn)),
            }
        )
    return out


def _months() -> list[str]:
    days = []
    for year in range(2007, 2026):
        for month in range(1, 13):
            if (year, month) < (2007, 6) or (year, month) > (2025, 11):
                continue
            days.append(f"{year:04d}-{month:02d}-01")
    return days


def _handover_days(tenures: list[dict]) -> list[str]:
    days = set()
    for t in tenures:
        for value in (t["start"], t["end"]):
            if value and len(value) == 10 and "2007-06-01" <= value <= "2025-11-30":
                day = dt.date.fromisoformat(value)
                days.update(str(day + dt.timedelta(days=k)) for k in (-1, 0, 1))
    return sorted(days)


def run_on_dates(kg: ip5graph.KnowledgeGraph, dates: list[str]) -> dict[tuple[str, str], list[tuple]]:
    """The query with a VALUES block of many dates, as a remote endpoint would get one."""
    text = (resources.queries_dir() / "05-heads-on-date.rq").read_text(encoding="utf-8")
    values = " VALUES ?date { " + " ".join(f'"{d}"^^<http://www.w3.org/2001/XMLSchema#date>' for d in dates) + " } "
    at = text.index("WHERE {") + len("WHERE {")
    result = kg.query(text[:at] + values + text[at:])
    by_key: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in result.rows:
        date, office, holder, acting, _start, _end, uncertain = row
        by_key[(date.value, _slug(office))].append((_slug(holder), acting and acting.value, uncertain.value))
    return by_key


@pytest.fixture(scope="module")
def kg(bundled_kgs: dict[str, ip5graph.KnowledgeGraph]) -> ip5graph.KnowledgeGraph:
    return bundled_kgs["oxigraph"]


@pytest.fixture(scope="module")
def sweep(kg: ip5graph.KnowledgeGraph, tenures: list[dict]) -> tuple[list[str], dict]:
    dates = sorted(set(_months()) | set(_handover_days(tenures)))
    return dates, run_on_dates(kg, dates)


def answer(kg: ip5graph.KnowledgeGraph, date: str) -> dict[str, list[tuple]]:
    rows = run_on_dates(kg, [date])
    return {office: got for (_, office), got in rows.items()}


# ------------------------------------------------------------------ the sweep


def test_every_office_has_one_holder_or_only_flagged_rows_on_every_date(sweep, tenures) -> None:
    dates, by_key = sweep
    offices = {t["office"] for t in tenures}
    assert len(dates) > 222  # 222 months plus the handover days
    bad = []
    for date in dates:
        for office in offices:
            rows = by_key.get((date, office), [])
            flags = {r[2] for r in rows}
            one_sure = len(rows) == 1 and flags == {"false"} and rows[0][0]
            all_flagged = rows and flags == {"true"}
            if not (one_sure or all_flagged):
                bad.append((date, office, rows))
    assert bad == []


def _covers(t: dict, date: str) -> bool:
    """The tenure's own dates allow this day, each read at its precision."""
    if t["start"] and date < t["start"]:
        return False
    if t["end"] and date[: len(t["end"])] > t["end"]:
        return False
    return True


def test_every_sure_holder_is_allowed_by_the_tenures_own_dates(sweep, tenures) -> None:
    dates, by_key = sweep
    bad = []
    for (date, office), rows in by_key.items():
        for holder, _acting, uncertain in rows:
            if uncertain == "false":
                mine = [t for t in tenures if t["office"] == office and t["holder"] == holder]
                if not any(_covers(t, date) for t in mine):
                    bad.append((date, office, holder))
    assert bad == []


def test_a_tenure_with_exact_dates_around_the_day_is_the_sure_answer(sweep, tenures) -> None:
    """Exact start on or before the day, exact end on or after it, and nobody else of the office
    starting between that start and the day: the sources settle it, so no flag."""
    dates, by_key = sweep
    checked = 0
    bad = []
    for t in tenures:
        if not (t["start"] and t["end"] and len(t["start"]) == 10 and len(t["end"]) == 10):
            continue
        for date in dates:
            if not t["start"] <= date <= t["end"]:
                continue
            newer = [
                o
                for o in tenures
                if o["office"] == t["office"]
                and o is not t
                and o["start"]
                and len(o["start"]) == 10
                and t["start"] < o["start"] <= date
            ]
            if newer:
                continue
            checked += 1
            if by_key.get((date, t["office"])) != [(t["holder"], by_key[(date, t["office"])][0][1], "false")]:
                bad.append((date, t["tenure"], by_key.get((date, t["office"]))))
    assert checked > 400
    assert bad == []


def test_a_flag_is_raised_where_the_dates_leave_it_open(sweep) -> None:
    """Some days are open in the sources (dossier L8, L9, L26); those must be flagged, not guessed."""
    _, by_key = sweep
    flagged = {key for key, rows in by_key.items() if rows[0][2] == "true"}
    assert ("2012-01-01", "jpo") in flagged  # L26: JPO heads 2009-2013 between Hosono and Hato unknown
    assert ("2016-10-01", "kipo") in flagged  # L8: Choi's end and Sung's start leave 2016-2017 open
    assert ("2022-01-01", "kipo") in flagged  # L9: Kim Yongrae's end not sourced
    assert len(flagged) < len(by_key) / 3


@pytest.mark.parametrize(
    ("date", "office", "holders", "new"),
    [
        # §2.3 S75: Battistelli "since July 2010", day unknown; his predecessor's end is not sourced
        ("2010-07-15", "epo", {"alison-brimelow", "benoit-battistelli"}, "benoit-battistelli"),
        # §2.1 S56: Matsunaga appointed "in July 2019"; Munakata's end is inferred as that month
        ("2019-07-15", "jpo", {"naoko-munakata", "akira-matsunaga"}, "akira-matsunaga"),
    ],
)
def test_a_month_only_handover_leaves_that_month_flagged(kg, date: str, office: str, holders: set, new: str) -> None:
    got = answer(kg, date)[office]
    assert {r[0] for r in got} == holders
    assert {r[2] for r in got} == {"true"}
    # and the month after, the new holder alone
    assert [r[0] for r in answer(kg, date[:5] + "08-01")[office]] == [new]


# ------------------------------------------------------------------ the issue's cases


def test_ito_is_not_the_jpo_head_before_2015(kg) -> None:
    got = answer(kg, "2014-01-01")["jpo"]
    assert got == [("hideo-hato", "false", "false")]  # dossier §2.1: Hato in office 2013-2014
    open_gap = answer(kg, "2014-10-01")["jpo"]
    assert {r[0] for r in open_gap} == {"hideo-hato", "hitoshi-ito"}
    assert {r[2] for r in open_gap} == {"true"}


def test_kim_young_min_and_choi_dong_kyu_never_together_in_2015(kg) -> None:
    assert answer(kg, "2015-02-01")["kipo"] == [("kim-young-min", "false", "false")]
    # left in March 2015, post empty for 51 days (addendum B.6, S262): nobody, flagged
    assert answer(kg, "2015-04-15")["kipo"] == [("", None, "true")]
    # named 6 May, inaugurated 12 May 2015 (S261, S263)
    assert answer(kg, "2015-05-12")["kipo"] == [("choi-dong-kyu", "false", "false")]
    assert answer(kg, "2015-05-22")["kipo"] == [("choi-dong-kyu", "false", "false")]


def test_uspto_on_2013_06_06_is_teresa_stanek_rea_acting_flagged(kg) -> None:
    # dossier §2.2: acting Director in March 2013 (S156); her start and end are not sourced
    assert answer(kg, "2013-06-06")["uspto"] == [("teresa-stanek-rea", "true", "true")]
    assert answer(kg, "2013-03-19")["uspto"] == [("teresa-stanek-rea", "true", "false")]


def test_kipo_on_2018_12_01_is_park_won_joo_alone(kg) -> None:
    # Sung's end is only "2018", clipped by Park's appointment on 27 September 2018 (S99)
    assert answer(kg, "2018-12-01")["kipo"] == [("park-won-joo", "false", "false")]
    assert answer(kg, "2018-09-27")["kipo"] == [("park-won-joo", "false", "false")]
    assert answer(kg, "2018-09-01")["kipo"] == [("sung-yun-mo", "false", "true")]


@pytest.mark.parametrize(
    ("date", "office", "before", "after"),
    [
        ("2021-07-01", "jpo", "kasutani-toshihide", "kiyoshi-mori"),  # inferred end = successor's start
        ("2013-12-23", "cnipa", "tian-lipu", "shen-changyu"),  # S80: relieved and appointed the same day
        ("2016-06-17", "jpo", "hitoshi-ito", "yoshinori-komiya"),  # S50: handover on 17 June 2016
        ("2022-04-13", "uspto", "drew-hirshfeld", "kathi-vidal"),  # S67: sworn in on 13 April 2022
    ],
)
def test_the_handover_day_gives_the_new_holder_only(kg, date: str, office: str, before: str, after: str) -> None:
    assert answer(kg, date)[office] == [(after, answer(kg, date)[office][0][1], "false")]
    day_before = str(dt.date.fromisoformat(date) - dt.timedelta(days=1))
    assert answer(kg, day_before)[office][0][0] == before


# ------------------------------------------------------------------ a dozen dates checked by hand


HAND_CHECKED = [
    # (date, office, holder, acting, dossier row)
    ("2008-11-01", "wipo", "francis-gurry", "false"),  # §2.6 S135: DG from 1 Oct 2008
    ("2010-08-01", "epo", "benoit-battistelli", "false"),  # §2.3 S75: head since July 2010
    ("2013-12-22", "cnipa", "tian-lipu", "false"),  # §2.4 S80: relieved 23 Dec 2013
    ("2014-06-05", "kipo", "kim-young-min", "false"),  # §1.2 M07 S24, S115: chaired Busan 2014
    ("2017-07-05", "jpo", "naoko-munakata", "false"),  # §2.1 S51, S52: from 5 July 2017
    ("2018-06-30", "epo", "benoit-battistelli", "false"),  # §2.3 S73: Campinos from 1 July 2018
    ("2018-07-01", "epo", "antonio-campinos", "false"),  # §2.3 S73
    ("2020-07-21", "kipo", "park-won-joo", "false"),  # §1.2 M13 S40: attended the 13th meeting
    ("2020-07-21", "uspto", "andrei-iancu", "false"),  # §2.2 S63, S68: 2018 to January 2021
    ("2022-06-09", "kipo", "lee-in-sil", "false"),  # §2.5 S85: named 29 May 2022; M15 S09
    ("2022-06-09", "jpo", "kiyoshi-mori", "false"),  # §2.1 S53, M15 S09
    ("2023-07-01", "epo", "antonio-campinos", "false"),  # addendum B.6 S247: second term from 1 July 2023
    ("2024-06-20", "kipo", "kim-shi-hyeong", "true"),  # §2.5 S94, M17 S44: acting January-June 2024
    ("2024-06-20", "uspto", "kathi-vidal", "false"),  # §2.2 S67, S66: 13 Apr 2022 - 13 Dec 2024
    ("2025-09-22", "uspto", "john-a-squires", "false"),  # §2.2 S65: sworn in 22 Sep 2025
    ("2025-11-05", "kipo", "kim-yong-sun", "false"),  # §2.5 S87, addendum S255: first Minister
]


@pytest.mark.parametrize(("date", "office", "holder", "acting"), HAND_CHECKED)
def test_hand_checked_holder(kg, date: str, office: str, holder: str, acting: str) -> None:
    assert answer(kg, date)[office] == [(holder, acting, "false")]


@pytest.mark.long
def test_rdflib_gives_the_same_rows_on_the_issue_dates() -> None:
    dates = ["2013-06-06", "2015-04-15", "2018-09-01", "2018-12-01", "2021-07-01"]
    ox = run_on_dates(ip5graph.open(), dates)
    rd = run_on_dates(ip5graph.open(engine="rdflib"), dates)
    assert {k: sorted(v, key=str) for k, v in ox.items()} == {k: sorted(v, key=str) for k, v in rd.items()}
