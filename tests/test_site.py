"""web.site / web.build: a page for every labelled entity at a path mirroring its IRI, infoboxes readable as
HTML (dates, sources, links), the search index, links that resolve, escaping, same bytes twice."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from netgraph import FIXTURE

import ip5graph
from ip5graph.errors import UsageError
from ip5graph.rdf.namespaces import ID, PREFIXES
from ip5graph.web import build, paths, site
from ip5graph.web.values import format_date

XSS = "<img src=x onerror=alert(1)>"
# Records about other entities have no page of their own: tenures and participations (on their holder's and
# meeting's pages), statements (ip5:Statement, which replaced ip5:Claim/InferredClaim: on their subject's page)
# and Data Cube observations (on the statistics page).
LABELLED = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ip5: <https://w3id.org/ip5graph/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT DISTINCT ?s WHERE {
  { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l }
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/ip5graph/id/"))
  FILTER NOT EXISTS { ?s a ?t . FILTER(?t IN (ip5:Tenure, ip5:Participation, ip5:Statement, qb:Observation)) }
} ORDER BY ?s
"""


def kg():
    return ip5graph.open(data=[FIXTURE])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> build.SiteReport:
    return site.build_site(kg(), tmp_path_factory.mktemp("web") / "site")


def labelled_entities(graph) -> list[str]:
    """Computed with SPARQL, independently of the site code."""
    return [row[0].value for row in graph.query(LABELLED).rows]


def read(built, rel: str) -> str:
    return (built.out / rel).read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> Links:
    p = Links()
    p.feed(text)
    return p


def test_every_labelled_entity_has_a_page_at_its_iri_path(built):
    want = {f"id/{iri[len(ID) :]}.html" for iri in labelled_entities(kg())}
    got = {p for p in built.pages if p.startswith("id/")}
    assert len(want) > 40
    assert got == want
    for rel in want:  # Turtle and JSON-LD next to each page, linked from it
        stem = rel[:-5]
        assert (built.out / f"{stem}.ttl").stat().st_size > 0
        assert (built.out / f"{stem}.jsonld").stat().st_size > 0
        name = stem.rsplit("/", 1)[1]
        assert f'href="{name}.ttl"' in read(built, rel) and f'href="{name}.jsonld"' in read(built, rel)


def test_every_relative_link_resolves(built):
    for rel in built.pages:
        page = parse(read(built, rel))
        for link in page.links:
            if link.startswith(("http://", "https://")):
                continue
            target, frag = urldefrag(link)
            path = (built.out / rel).parent / unquote(target) if target else built.out / rel
            assert path.resolve().is_file(), f"{rel}: {link}"
            if frag and target.endswith(".html") and not target.endswith("query.html"):  # the workbench's state
                assert frag in parse(path.read_text(encoding="utf-8")).ids or frag in (
                    "queries",
                    "entities",
                    "downloads",
                ), f"{rel}: {link}"


def test_nothing_is_loaded_from_the_network(built):
    for rel in built.pages:
        text = read(built, rel)
        assert not re.search(r"""\ssrc\s*=\s*["']?(?:https?:)?//""", text), rel
        assert not re.search(r"""<link[^>]+href\s*=\s*["']?(?:https?:)?//""", text), rel
        for m in re.finditer(r"""<a [^>]*href="(https?://[^"]*)"[^>]*>""", text):
            assert 'rel="noopener noreferrer"' in m.group(0), (rel, m.group(0))


def test_meeting_infobox_without_scripts(built):
    text = read(built, "id/meeting/heads-2021.html")
    html = re.sub(r"<script.*?</script>", "", text, flags=re.S)
    cells = parse(html).cells
    assert "23 June 2021" in cells and "22 June 2021" in cells  # dates, formatted
    assert (
        '<a href="../office/jpo.html" title="https://w3id.org/ip5graph/id/office/jpo" data-e="id/office/jpo">'
        "Japan Patent Office</a>" in html
    )  # host as a link
    # the participants table: chair first, each row its own source, linked to the source page
    part = html.split('id="h-participants"')[1].split("</table>")[0]
    rows = re.findall(r"<tr id=\"participation-[^\"]+\">(.*?)</tr>", part, re.S)
    assert "Kasutani Toshihide" in rows[0] and ">chair<" in rows[0]
    assert 'href="../source/s00b.html"' in rows[0]
    assert any("Lisa Jorgenson" in r and "Daren Tang" in r for r in rows)  # on whose behalf
    assert "previous meeting" in cells and "13th IP5 Heads meeting" in cells
    assert "IP5 Heads and Industry meeting 2021" in cells  # a back-link, with words
    assert '<a href="../person/kasutani-toshihide.html"' in html.split('id="h-words"')[1]  # In words: links


def test_office_heads_and_person_posts(built):
    office = read(built, "id/office/uspto.html")
    heads = office.split('id="h-heads"')[1].split("</table>")[0]
    assert "Drew Hirshfeld" in heads and "in office on 23 June 2021" in heads and ">acting<" in heads
    person = read(built, "id/person/kasutani-toshihide.html")
    posts = person.split('id="h-posts"')[1].split("</table>")[0]
    assert "Japan Patent Office" in posts and "20 July 2020" in posts and "../source/s61.html" in posts
    meetings = person.split('id="h-meetings"')[1].split("</table>")[0]
    assert "14th IP5 Heads meeting" in meetings and "23 June 2021" in meetings
    names = person.split('id="h-names"')[1].split("</table>")[0]
    assert "日本語 (Japanese)" in names and "糟谷敏秀" in names and "Toshihide Kasutani" in names


def test_conflicts_side_by_side_and_source_pages(built):
    meeting = read(built, "id/meeting/heads-2020.html")
    claims = meeting.split('id="h-where-the-sources-disagree"')[1].split("</table>")[0]
    # each competing value in its own row with its own rank (statements rank preferred/deprecated, where the
    # removed ip5:Claim said preferred true/false) and its own source
    rows = {date: row for row in claims.split("<tr>")[2:] for date in ("21 July 2020", "22 July 2020") if date in row}
    assert "<td>preferred</td>" in rows["21 July 2020"] and "S40" in rows["21 July 2020"]
    assert "<td>deprecated</td>" in rows["22 July 2020"] and "S00b" in rows["22 July 2020"]
    source = read(built, "id/source/s61.html")
    cited = source.split('id="h-cited-by"')[1].split("</table>")[0]
    assert "Kasutani Toshihide" in cited and "#tenure-jpo-kasutani-toshihide" in cited
    assert "javascript:alert(2)" in source and 'href="javascript' not in source


def test_schema_org_json_ld_and_entity_turtle(built):
    text = read(built, "id/meeting/heads-2021.html")
    doc = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))
    assert doc["@type"] == "Event" and doc["@id"] == ID + "meeting/heads-2021" and doc["startDate"] == "2021-06-23"
    ttl = (built.out / "id/person/kasutani-toshihide.ttl").read_text(encoding="utf-8")
    assert "糟谷敏秀" in ttl and re.search(r"tenure[:/]jpo-kasutani-toshihide", ttl)
    data = json.loads((built.out / "id/person/kasutani-toshihide.jsonld").read_text(encoding="utf-8"))
    assert any(item.get("@id") == ID + "person/kasutani-toshihide" for item in data)


def test_hostile_text_is_escaped(built):
    for rel in built.pages:
        assert XSS not in read(built, rel), rel
        assert "<script>alert(3)" not in read(built, rel), rel
    page = read(built, "id/person/xss-test.html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_search_index_has_every_entity_and_its_names(built):
    text = (built.out / "assets/search-index.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.IP5_INDEX = ").rstrip().rstrip(";"))
    keys = {row[0] for row in data["e"]}
    assert keys == {paths.page_stem(i) for i in labelled_entities(kg())}
    row = next(r for r in data["e"] if r[0] == "id/person/kasutani-toshihide")
    assert row[3]["ja"] == ["糟谷敏秀"] and row[4] == ["Toshihide Kasutani"]
    assert XSS not in text


def test_table_cells_show_labels_not_codes(built):
    for rel in built.pages:
        for cell in parse(read(built, rel)).cells:
            assert not re.fullmatch(r"[a-z][a-z-]*:[A-Za-z0-9-]+", cell), (rel, cell)
            assert not cell.startswith(tuple(PREFIXES.values())), (rel, cell)  # IRIs of the graph's terms
    page = read(built, "queries/03-meeting-participants.html")
    assert page.count('class="answer"') >= 3  # one answer per meeting of the graph
    assert 'data-value="meeting:heads-2020"' in page and 'data-value="meeting:heads-2021" hidden' not in page


def test_paths_stay_inside_the_site():
    assert paths.page_path(ID + "office/jpo") == "id/office/jpo.html"
    for bad in (ID + "../../etc/passwd", ID + "office/..", ID + "a/b c", "https://example.org/x", ID + "x/.hidden"):
        rel = paths.page_path(bad)
        assert rel.startswith("id/_/") and ".." not in rel, bad
    assert paths.link("id/office/jpo.html", "id/person/x.html") == "../person/x.html"


@pytest.mark.parametrize(
    ("text", "want"), [("2021-06-23", "23 June 2021"), ("2018-07", "July 2018"), ("2015", "2015"), ("soon", "soon")]
)
def test_dates_read_at_their_precision(text, want):
    assert format_date(text) == want


def test_two_builds_are_byte_identical(built, tmp_path):
    again = site.build_site(kg(), tmp_path / "again")
    assert again.files == built.files
    assert [f for f in built.files if (built.out / f).read_bytes() != (again.out / f).read_bytes()] == []


def test_failed_build_leaves_previous_site(tmp_path):
    out = tmp_path / "site"
    site.build_site(kg(), out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    seen = []

    def interrupt_half_way(done: int, total: int, label: str) -> None:
        seen.append(label)
        if done == total // 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C with half the pages written

    with pytest.raises(KeyboardInterrupt):
        site.build_site(kg(), out, progress=interrupt_half_way)
    assert len(seen) > 10  # pages had been written when the build stopped
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temp folders left


def test_pages_of_real_data_exist_for_every_kind(tmp_path):
    report = site.build_site(ip5graph.open(), tmp_path / "real")
    kinds = {p.split("/")[1] for p in report.pages if p.startswith("id/")}
    assert {
        "office",
        "person",
        "meeting",
        "initiative",
        "document",
        "association",
        "organization",
        "working-group",
        "place",
        "conflict",
        "source",
        "role",
    } <= kinds
    assert len([p for p in report.pages if p.startswith("id/")]) == len(labelled_entities(ip5graph.open()))


def test_inline_build_pages_stand_alone(tmp_path):
    report = site.build_site(kg(), tmp_path / "s", inline=True, depth=2)
    assert not [f for f in report.files if f.startswith("assets/")]
    page = (report.out / "id/meeting/heads-2021.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and 'rel="stylesheet"' not in page
    assert page.count("</script>") == 6  # JSON-LD, index, site, data, vis, graph: none closes early
    assert "window.IP5_INDEX" in page and "vis.Network" in page


def test_statements_give_each_fact_its_own_sources(tmp_path):
    statements = Path(__file__).parent / "fixtures" / "web_statements.ttl"
    report = site.build_site(ip5graph.open(data=[FIXTURE, statements]), tmp_path / "st")
    page = (report.out / "id/meeting/heads-2021.html").read_text(encoding="utf-8")
    facts = page.split('id="h-facts"')[1].split("</table>")[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r'<tr id="fact-([A-Za-z]+)">(.*?)</tr>', facts, re.S)}
    assert "../source/s00b.html" in rows["host"] and "../source/s40.html" in rows["host"]
    assert "../source/s61.html" not in rows["host"]
    assert "23 June 2021" in rows["startDate"] and "(preferred)" in rows["startDate"]
    assert "inferred from:" in rows["ordinal"] and "../source/s40.html" in rows["ordinal"]
    disagree = page.split('id="h-where-the-sources-disagree"')[1].split("</table>")[0]
    assert "24 June 2021" in disagree and "deprecated" in disagree and "../source/s61.html" in disagree
    assert not [p for p in report.pages if "/statement/" in p]  # statements are not pages
    cited = (report.out / "id/source/s61.html").read_text(encoding="utf-8").split('id="h-cited-by"')[1]
    assert 'href="../meeting/heads-2021.html#fact-startDate"' in cited.split("</table>")[0]


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    mine = tmp_path / "docs"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="not built by ip5graph"):
        site.build_site(kg(), mine)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_builds_in_separate_processes_are_byte_identical(tmp_path):
    """Set and dict orders change with PYTHONHASHSEED; nothing may leak into the output."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(root))
        subprocess.run(
            [sys.executable, "-m", "ip5graph", "build", "-o", str(out), "--data", str(FIXTURE)],
            check=True,
            env=env,
            cwd=root,
            capture_output=True,
        )
        outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []
