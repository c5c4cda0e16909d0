"""web.names: a page about a dated event names an office as it was then, linking to today's page; an
office page lists its names over time, each with its period and sources; the timeline page names the host
of a meeting and the office of a term as at their dates; the real site agrees with the hostThen column of
the named query 02-heads-meetings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ip5graph
from ip5graph.kg import resources
from ip5graph.web import site

FIXTURE = Path(__file__).parent / "fixtures" / "web_names.ttl"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return site.build_site(ip5graph.open(data=[FIXTURE]), tmp_path_factory.mktemp("names") / "site").out


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def row(page: str, anchor: str) -> str:
    found = re.search(rf'<tr id="{anchor}">(.*?)</tr>', page, re.S)
    assert found, anchor
    return found.group(1)


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link in a piece of HTML."""
    return [(h, re.sub(r"<[^>]+>", "", t)) for h, t in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


@pytest.mark.parametrize(
    ("meeting", "then"),
    [("heads-2010", "SIPO (now CNIPA)"), ("day-before", "SIPO (now CNIPA)"), ("rename-day", ""), ("heads-2020", "")],
)
def test_meeting_page_names_the_host_as_it_was_then(out, meeting: str, then: str):
    host = row(read(out, f"id/meeting/{meeting}.html"), "fact-host")
    assert links(host) == [("../office/cnipa.html", then or "China National Intellectual Property Administration")]
    if not then:
        assert "SIPO" not in host


def test_participation_tenure_and_initiative_use_the_name_of_their_date(out):
    participants = read(out, "id/meeting/heads-2010.html").split('id="h-participants"')[1].split("</table>")[0]
    assert ("../office/cnipa.html", "SIPO (now CNIPA)") in links(participants)
    posts = read(out, "id/person/head.html").split('id="h-posts"')[1].split("</table>")[0]
    assert ("../office/cnipa.html", "SIPO (now CNIPA)") in links(posts)  # the term began in 2013
    lead = row(read(out, "id/initiative/pilot.html"), "fact-leadOffice")
    assert ("../office/cnipa.html", "SIPO (now CNIPA)") in links(lead)


def test_a_rename_page_names_the_organisation_as_today(out):
    affected = row(read(out, "id/name-change/cnipa-1998.html"), "fact-affectedOrganization")
    assert links(affected) == [("../office/cnipa.html", "China National Intellectual Property Administration")]


def test_office_page_lists_former_names_with_period_and_sources(out):
    page = read(out, "id/office/cnipa.html")
    table = page.split('id="h-names-over-time"')[1].split("</table>")[0]
    sipo, cnipa = row(table, "org-name-cnipa-sipo"), row(table, "org-name-cnipa-cnipa")
    assert "State Intellectual Property Office" in sipo and "<td>SIPO</td>" in sipo
    assert "<td>1998</td>" in sipo and "<td>28 August 2018</td>" in sipo
    # the record's own source and the source of its statement about the end date
    assert ("../source/s1.html", "S1") in links(sipo) and ("../source/s2.html", "S2") in links(sipo)
    assert "<td>28 August 2018</td>" in cnipa and "still in use" in cnipa and 'lang="zh"' in cnipa
    assert table.index("org-name-cnipa-sipo") < table.index("org-name-cnipa-cnipa")  # oldest first
    assert "name of (of)" not in page  # the table replaces the bare back-links


def test_hostile_former_name_is_escaped(out):
    page = read(out, "id/meeting/evil-1999.html")
    assert "<img src=x" not in page and "<b>OLD</b>" not in page
    assert "&lt;b&gt;OLD&lt;/b&gt; (now EVIL)" in row(page, "fact-host")
    assert "&lt;img src=x onerror=alert(1)&gt;" in read(out, "id/office/evil.html")


def timeline_details(page: str) -> dict[str, list[str]]:
    """The details texts of the timeline's items (a meeting's dot, a term's bar), by the page they link to."""
    out: dict[str, list[str]] = {}
    for href, text in re.findall(r'<a href="([^"]*)" class="tl-item" data-details="([^"]*)"', page):
        out.setdefault(href, []).append(text)
    return out


def table_row(page: str, href: str) -> str:
    """The table row whose first cell links to `href`."""
    found = re.search(rf'<tr><th scope="row"><a href="{re.escape(href)}"[^>]*>.*?</tr>', page, re.S)
    assert found, href
    return found.group(0)


def test_timeline_names_offices_as_at_each_items_date(out):
    page = read(out, "timeline.html")
    details = {href: texts[0] for href, texts in timeline_details(page).items() if len(texts) == 1}
    assert "hosted by SIPO (now CNIPA)." in details["id/meeting/heads-2010.html"]
    after = details["id/meeting/heads-2020.html"]
    assert "hosted by China National Intellectual Property Administration." in after and "SIPO" not in after
    assert "Test Head: head, SIPO (now CNIPA); from 23 December 2013" in details["id/person/head.html"]
    second = details["id/person/head2.html"]  # began on the day of the rename: today's name
    assert "head, China National Intellectual Property Administration; from 28 August 2018" in second
    assert "SIPO" not in second
    # the tables say the same, each name a link to the office's page of today
    office = "id/office/cnipa.html"
    assert (office, "SIPO (now CNIPA)") in links(table_row(page, "id/meeting/heads-2010.html"))
    assert (office, "China National Intellectual Property Administration") in links(
        table_row(page, "id/meeting/heads-2020.html")
    )
    assert (office, "SIPO (now CNIPA)") in links(table_row(page, "id/person/head.html"))
    assert "SIPO" not in table_row(page, "id/person/head2.html")
    # the lanes are the offices themselves: today's names
    assert re.findall(r'<div class="tl-name"[^>]*>([^<]*)</div>', page) == ["Heads meetings", "CNIPA"]


def test_timeline_escapes_a_hostile_former_name(out):
    page = read(out, "timeline.html")
    assert "<b>OLD</b>" not in page and "<img src=x" not in page
    assert "hosted by &lt;b&gt;OLD&lt;/b&gt; (now EVIL)." in timeline_details(page)["id/meeting/evil-1999.html"][0]


@pytest.mark.skipif(not resources.data_files(), reason="needs the bundled graph data")
def test_real_meeting_pages_agree_with_query_02(tmp_path):
    kg = ip5graph.open()
    built = site.build_site(kg, tmp_path / "real").out
    timeline = read(built, "timeline.html")
    details = timeline_details(timeline)
    renamed = 0
    for r in kg.query("02-heads-meetings").rows:
        meeting, then = r[1].value, r[7].value if r[7] is not None else ""
        rel = "id/meeting/" + meeting.rsplit("/", 1)[1] + ".html"
        host = row(read(built, rel), "fact-host")
        shown = details.get(rel, [])
        if "(now " in then:
            renamed += 1
            assert (f"../office/{r[6].value.rsplit('/', 1)[1]}.html", then) in links(host), meeting
            assert shown and all(f"hosted by {then}." in d for d in shown), meeting
            assert ("id/office/" + r[6].value.rsplit("/", 1)[1] + ".html", then) in links(table_row(timeline, rel))
        else:
            assert "(now " not in host, meeting
            assert all("(now " not in d for d in shown), meeting
    assert renamed >= 5  # the SIPO- and KIPO-hosted meetings
