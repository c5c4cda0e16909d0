"""The statistics page: the Data Cube's series as line charts, each beside its data table.

Why Observable Plot (with d3), vendored under web/vendor/: it draws SVG, and its `href` channel
makes every point a link, so a point can be reached with the keyboard and read by a screen reader
(its label names the value and its source), which a canvas library such as Chart.js cannot give
without rebuilding that by hand. Both ship UMD builds that load as classic scripts from file://.

What is charted: per series and year one line through a value that no recorded conflict
outranks, the
most precise of them (ties: an official source, then the lowest source id); every stated
value is a point, so figures that sources give differently stay visible side by side. Measures are
never added up: each line is one measure of one office or total. Values for a span of years or an
unstated period are in the tables only. The tables carry every value with its hedging word,
precision and sources, and work without JavaScript.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ip5graph.rdf.namespaces import ID, IP5
from ip5graph.web.pages import json_for_html
from ip5graph.web.templating import inline_assets

VENDOR = Path(__file__).with_name("vendor")
TEMPLATES = Path(__file__).with_name("templates")
ASSETS = {
    "assets/d3.min.js": VENDOR / "d3" / "dist" / "d3.min.js",
    "assets/plot.umd.min.js": VENDOR / "@observablehq" / "plot" / "dist" / "plot.umd.min.js",
}
TIER_NAMES = {"off": "official", "2nd": "secondary", "wiki": "encyclopedic", "inf": "inferred"}
OFFICES = ("cnipa", "epo", "jpo", "kipo", "uspto")
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")

OBSERVATIONS = """PREFIX ip5: <https://w3id.org/ip5graph/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?obs ?measure ?area ?year ?value ?precision ?qualifier ?source ?sourceId ?tier ?address ?winner
WHERE {
  ?obs a qb:Observation ; qb:measureType ?measure ; ip5:refArea ?area ; ip5:refPeriod ?period ;
       ip5:precision ?precision ; dcterms:source ?source .
  ?obs ?measure ?value .
  ?period skos:notation ?year .
  OPTIONAL { ?obs ip5:qualifier ?qualifier }
  OPTIONAL { ?source ip5:sourceId ?sourceId }
  OPTIONAL { ?source ip5:tier ?tier }
  OPTIONAL { ?source ip5:address ?address }
  OPTIONAL {
    # outranked: its statement is of normal rank in a conflict that prefers another statement
    ?statement ip5:statementSubject ?obs ; ip5:rank <https://w3id.org/ip5graph/id/rank/normal> .
    ?conflict ip5:hasStatement ?statement, ?winner .
    ?winner ip5:rank <https://w3id.org/ip5graph/id/rank/preferred> .
  }
}"""


@dataclass(frozen=True)
class Chart:
    """One chart: which (measure, area) pairs it draws, and how each series is named."""

    key: str
    title: str
    y_label: str
    series: tuple[tuple[str, str, str], ...]  # (measure local name, area slug, series name)
    zero: bool = True


CHARTS = (
    Chart(
        "applications",
        "Patent applications received by each office",
        "applications",
        tuple(("patentApplications", f"office/{o}", o.upper()) for o in OFFICES),
    ),
    Chart(
        "grants",
        "Patents granted by each office",
        "patents",
        tuple(("patentGrants", f"office/{o}", o.upper()) for o in OFFICES),
    ),
    Chart(
        "pct",
        "PCT international applications received by each office",
        "applications",
        tuple(("pctApplications", f"office/{o}", o.upper()) for o in OFFICES),
    ),
    Chart(
        "ip5",
        "The five IP5 offices together",
        "applications or patents",
        (
            ("patentApplications", "forum/ip5", "applications received"),
            ("patentGrants", "forum/ip5", "patents granted"),
        ),
    ),
    Chart(
        "share",
        "Share of the world's patent applications, by what is counted",
        "per cent",
        (
            ("shareOfWorldApplications", "forum/ip5", "filed at the IP5 offices"),
            ("topFiveOfficesShare", "area/top-five-offices", "filed at the five largest offices (WIPO)"),
            ("shareFromIp5Blocs", "forum/ip5", "from applicants in the IP5 blocs"),
            ("shareOfWorldApplications", "office/cnipa", "filed at CNIPA"),
            ("shareOfWorldApplications", "office/uspto", "filed at the USPTO"),
        ),
        zero=False,
    ),
)


@lru_cache(maxsize=4)
def asset(rel: str) -> bytes:
    """A vendored script the page loads, as bytes (site writes it under assets/)."""
    return ASSETS[rel].read_bytes()


@lru_cache(maxsize=1)
def _script() -> str:
    return (TEMPLATES / "statistics.js").read_text(encoding="utf-8")


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if iri.startswith(IP5) else iri.removeprefix(ID)


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


def observations(kg: Any) -> list[dict[str, Any]]:
    """Every observation once, with its sources, sorted by IRI."""
    found: dict[str, dict[str, Any]] = {}
    result = kg.query(OBSERVATIONS)
    names = result.variables
    for values in result.rows:
        row = dict(zip(names, values))
        obs = _text(row["obs"])
        rec = found.setdefault(
            obs,
            {
                "anchor": "obs-" + obs.removeprefix(ID).replace("/", "-"),
                "measure": _local(_text(row["measure"])),
                "area": _local(_text(row["area"])),
                "year": _text(row["year"]),
                "value": Decimal(_text(row["value"])),
                "precision": Decimal(_text(row["precision"])),
                "qualifier": _text(row["qualifier"]),
                "rejected": row["winner"] is not None,
                "sources": {},
            },
        )
        tier = _local(_text(row["tier"])).removeprefix("tier/")
        rec["sources"][_text(row["source"])] = {
            "id": _text(row["sourceId"]) or _local(_text(row["source"])),
            "tier": TIER_NAMES.get(tier, tier),
            "address": _text(row["address"]),
        }
    return [found[k] for k in sorted(found)]


def _number(v: Decimal) -> str:
    if v == v.to_integral_value():
        return f"{int(v):,}"
    return format(v.normalize(), "f")


def _stated(rec: dict[str, Any], percent: bool) -> str:
    text = _number(rec["value"]) + ("%" if percent else "")
    return f"{rec['qualifier']} {text}" if rec["qualifier"] else text


def _sources(rec: dict[str, Any]) -> list[dict[str, str]]:
    return sorted(rec["sources"].values(), key=lambda s: (s["id"].lower(), s["address"]))


def _rank(rec: dict[str, Any]) -> tuple[Any, ...]:
    """Which of a year's values the line goes through: not rejected, most precise, official, lowest id."""
    srcs = _sources(rec)
    official = any(s["tier"] == "official" for s in srcs)
    return (rec["rejected"], rec["precision"], not official, srcs[0]["id"].lower() if srcs else "", rec["anchor"])


def chart_data(chart: Chart, recs: list[dict[str, Any]]) -> dict[str, Any]:
    """The points, the line and the table rows of one chart, in a stable order."""
    percent = chart.y_label == "per cent"
    names = {(m, a): name for m, a, name in chart.series}
    points, rows = [], []
    per_year: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for rec in recs:
        name = names.get((rec["measure"], rec["area"]))
        if name is None:
            continue
        srcs = _sources(rec)
        label = f"{name}, {rec['year']}: {_stated(rec, percent)} ({', '.join(s['id'] + ' ' + s['tier'] for s in srcs)})"
        rows.append((rec, name, srcs))
        if rec["year"].isdigit():
            point = {
                "series": name,
                "year": int(rec["year"]),
                "value": float(rec["value"]),
                "anchor": rec["anchor"],
                "label": label,
                "rejected": rec["rejected"],
            }
            points.append(point)
            per_year[(name, int(rec["year"]))].append(rec)
    line = set()
    for candidates in per_year.values():
        line.add(min(candidates, key=_rank)["anchor"])
    for p in points:
        p["line"] = p["anchor"] in line
    order = [name for _, _, name in chart.series]
    points.sort(key=lambda p: (order.index(p["series"]), p["year"], p["value"], p["anchor"]))
    last: dict[str, int] = {}
    segment: dict[str, int] = defaultdict(int)
    for p in points:  # a line is broken where a year has no figure, rather than drawn across the gap
        if p["line"]:
            if p["series"] in last and p["year"] - last[p["series"]] > 1:
                segment[p["series"]] += 1
            last[p["series"]] = p["year"]
            p["segment"] = f"{p['series']} {segment[p['series']]}"
    rows.sort(key=lambda r: (r[0]["year"], order.index(r[1]), r[0]["value"], r[0]["anchor"]))
    return {
        "key": chart.key,
        "title": chart.title,
        "y": chart.y_label,
        "zero": chart.zero,
        "series": order,
        "colors": list(COLOURS[: len(order)]),
        "points": points,
        "rows": [
            {
                "anchor": rec["anchor"],
                "year": rec["year"],
                "series": name,
                "value": _stated(rec, percent),
                "precision": _number(rec["precision"]),
                "rejected": rec["rejected"],
                "sources": srcs,
            }
            for rec, name, srcs in rows
        ],
    }


def statistics_data(kg: Any) -> list[dict[str, Any]]:
    """Every chart's points and rows, from the graph of a KnowledgeGraph (ip5graph.open())."""
    recs = observations(kg)
    return [chart_data(c, recs) for c in CHARTS]


def _table(chart: dict[str, Any]) -> str:
    e = html.escape
    out = [
        f'<table id="table-{e(chart["key"])}"><caption>{e(chart["title"])}: every stated value</caption>',
        '<thead><tr><th scope="col">Year</th><th scope="col">Series</th><th scope="col">Value</th>'
        '<th scope="col">Stated to</th><th scope="col">Sources</th></tr></thead><tbody>',
    ]
    for row in chart["rows"]:
        links = []
        for s in row["sources"]:
            text = f"{s['id']} ({s['tier']})"
            addr = s["address"]
            if addr.startswith(("http://", "https://")):
                href = addr.split(" ", 1)[0]
                links.append(f'<a href="{e(href, quote=True)}" rel="noreferrer">{e(text)}</a>')
            else:
                links.append(e(text))
        note = ' <span class="muted">(not preferred)</span>' if row["rejected"] else ""
        out.append(
            f'<tr id="{e(row["anchor"], quote=True)}"><th scope="row">{e(row["year"])}</th><td>{e(row["series"])}</td>'
            f"<td>{e(row['value'])}{note}</td><td>{e(row['precision'])}</td><td>{', '.join(links)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


STYLE = """<style>
.stats-intro { max-width: 60rem; }
.chart-block { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px 20px; margin: 8px 0 28px; }
.chart-block h2 { grid-column: 1 / -1; font-size: 1.05rem; margin: 0; }
.chart { min-width: 0; }
.chart svg a:focus { outline: none; }
.chart svg a:focus circle, .chart svg a:hover circle { stroke: #000; stroke-width: 3px; }
.point-note { min-height: 1.4em; font-size: 0.85rem; }
.table-wrap { min-width: 0; max-height: 380px; overflow: auto; }
.table-wrap table { margin: 0; }
.table-wrap tr:target { background: #fff3b0; }
@media (max-width: 800px) { .chart-block { grid-template-columns: minmax(0, 1fr); } }
</style>"""


def statistics_units(g: Any) -> list[str]:
    """The nodes the page's graph shows: the offices and the IP5 forum the figures are about."""
    return sorted(v for v in g if g.nodes[v].get("kind") == "office" or g.nodes[v].get("slug") == "forum/ip5")


def statistics_extra(kg: Any, *, inline: bool = False) -> str:
    """The page body below the graph: the charts, their tables, the data island and the scripts (d3 and
    Plot linked from assets/, or put into the page when `inline`, so an inline build writes no assets/)."""
    charts = statistics_data(kg)
    blocks = [
        STYLE,
        '<section class="stats-intro"><p>Patent filings, grants and shares of the '
        "world's filings as the IP5 offices, WIPO and the press state them. Each point is one stated "
        "value: focus it (Tab) to read its source, press Enter to go to its row in the table. Where "
        "sources give a year different figures, every one is a point and the line goes through the most "
        "precise. Lines never add up different measures.</p></section>",
    ]
    for c in charts:
        key = html.escape(c["key"], quote=True)
        blocks.append(
            f'<section class="chart-block" id="block-{key}"><h2>{html.escape(c["title"])}</h2>'
            f'<div><div class="chart" id="chart-{key}" data-chart="{key}"></div>'
            f'<p class="point-note" id="note-{key}" aria-live="polite"></p></div>'
            f'<div class="table-wrap">{_table(c)}</div></section>'
        )
    blocks.append(f'<script type="application/json" id="ip5-statistics">{json_for_html(charts)}</script>')
    if inline:
        safe = inline_assets({rel: asset(rel).decode("utf-8") for rel in ASSETS})
        blocks.extend(f"<script>\n{safe[rel]}\n</script>" for rel in ASSETS)
    else:
        blocks.extend(f'<script src="{rel}"></script>' for rel in ASSETS)
    blocks.append("<script>\n" + _script() + "\n</script>")
    return "\n".join(blocks)
