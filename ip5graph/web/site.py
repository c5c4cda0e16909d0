"""`ip5graph build`: a static site to browse the graph offline, built atomically.

What it writes (all links relative, nothing fetched from the network):
  index.html             the most central entities as a graph, and links to everything below
  overview.html          the whole projected graph
  timeline.html          heads meetings and office heads on a time axis (SVG) and as a graph
  office|meeting|person/SLUG.html   one neighbourhood view per office, meeting and person
  queries/NAME.html      every named query: its text, its results as a table, its results as a graph
  downloads/             the graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, GraphML, GEXF, CSV
  assets/vis-network.min.js         the one copy of vis-network the pages load (unless inline=True)

Atomic: everything is built in a temporary folder beside the target, which then replaces the
target in two renames; a failure leaves the previous site as it was. A target that exists, is not
empty and was not written by this function is refused rather than replaced.
Deterministic: the same data gives byte-identical files (sorted everywhere, seeded layouts).
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.network import analytics, navigation, paths, projection
from ip5graph.web import layout, render, timeline
from ip5graph.web.publish import MARKER, check_target, swap

PAGE_KINDS = ("office", "meeting", "person")
VIS_ASSET = "assets/vis-network.min.js"
INDEX_TOP = 40
RDF_NAMES = {
    "ttl": "ip5graph.ttl",
    "nt": "ip5graph.nt",
    "jsonld": "ip5graph.jsonld",
    "xml": "ip5graph.rdf",
    "trig": "ip5graph.trig",
}

Progress = Callable[[int, int, str], None]


@dataclass
class SiteReport:
    """What a build wrote: files relative to the site folder, and notes (e.g. skipped queries)."""

    out: Path
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        return [f for f in self.files if f.endswith(".html")]


@dataclass
class _Query:
    name: str
    title: str
    description: str
    text: str
    bindings: dict[str, str]
    result: Any


def entity_pages(g: nx.MultiDiGraph) -> dict[str, str]:
    """Node -> its page, for offices, meetings and people."""
    pages = {}
    for v in sorted(g):
        kind = g.nodes[v].get("kind", "")
        slug = g.nodes[v].get("slug", "")
        if kind in PAGE_KINDS and "/" in slug:
            pages[v] = f"{kind}/{slug.split('/', 1)[1]}.html"
    return pages


def build_site(
    kg: Any,
    out: str | os.PathLike[str],
    *,
    depth: int = 1,
    seed: int = 0,
    inline: bool = False,
    progress: Progress | None = None,
) -> SiteReport:
    """Build the site for a KnowledgeGraph (ip5graph.open()) into `out`, replacing it atomically."""
    target = Path(out)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        report = _Builder(kg, work, depth=depth, seed=seed, inline=inline, progress=progress).run()
        swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.out = target
    return report


class _Builder:
    def __init__(self, kg: Any, work: Path, *, depth: int, seed: int, inline: bool, progress: Progress | None) -> None:
        self.kg, self.work, self.depth, self.seed, self.inline = kg, work, depth, seed, inline
        self.progress = progress
        self.report = SiteReport(work)
        self.done = 0
        self.total = 0

    # -- plumbing -------------------------------------------------------------------------
    def _write(self, rel: str, data: str | bytes) -> None:
        path = self.work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(data)
        self.report.files.append(rel)

    def _tick(self, label: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, label)

    def _root(self, rel: str) -> str:
        return "../" * rel.count("/")

    def _page(
        self,
        rel: str,
        sub: nx.MultiDiGraph,
        *,
        title: str,
        subtitle: str = "",
        focus: str | None = None,
        positions: dict[str, tuple[float, float]] | None = None,
        extra: str = "",
    ) -> None:
        root = self._root(rel)
        nav = render.nav_html(
            [
                (root + "index.html", "Home"),
                (root + "overview.html", "Whole graph"),
                (root + "timeline.html", "Timeline"),
                (root + "statistics.html", "Statistics"),
                (root + "index.html#queries", "Queries"),
                (root + "index.html#downloads", "Downloads"),
            ]
        )
        text = render.build_html(
            sub,
            title=title,
            subtitle=subtitle,
            focus=focus,
            positions=positions,
            seed=self.seed,
            pages=self.pages,
            root=root,
            nav=nav,
            extra=extra,
            vis_src=None if self.inline else root + VIS_ASSET,
        )
        self._write(rel, text)
        self._tick(rel)

    # -- the build ------------------------------------------------------------------------
    def run(self) -> SiteReport:
        from ip5graph.kg.export import triples_of
        from ip5graph.query.engines.oxigraph import OxigraphEngine

        loaded = projection.load(self.kg)
        g, store = loaded.graph, loaded.store
        analytics.annotate_centrality(g, seed=self.seed)
        self.g = g
        self.pages = entity_pages(g)
        queries = self._run_queries(OxigraphEngine(store))
        self.total = 5 + len(self.pages) + len(queries) + len(RDF_NAMES) + 3
        self._write(MARKER, "built by ip5graph build; this folder is replaced as a whole on the next build\n")
        if not self.inline:
            self._write(VIS_ASSET, render.vis_network_js())
        positions = layout.layout(g, seed=self.seed)
        downloads = self._downloads(triples_of(store), positions)
        self._page(
            "overview.html",
            g,
            title="IP5 knowledge graph: everything",
            subtitle=f"{len(g)} entities and {g.number_of_edges()} links; click a node for its sources",
            positions=positions,
        )
        sub, pos = timeline.timeline_graph(g)
        self._page(
            "timeline.html",
            sub,
            title="Timeline: heads meetings and the heads of each office",
            positions=pos,
            extra="<h2>Timeline</h2>" + timeline.timeline_svg(g),
        )
        self._statistics_page(store)
        for v, rel in self.pages.items():
            self._entity_page(v, rel)
        for q in queries:
            self._query_page(q)
        self._index(queries, downloads)
        self.report.files.sort()
        return self.report

    def _statistics_page(self, store: Any) -> None:
        """statistics.html: the cube's charts and tables (web/charts.py) under a graph of the offices."""
        from ip5graph.web import charts

        for rel in charts.ASSETS:
            self._write(rel, charts.asset(rel))
        self._page(
            "statistics.html",
            navigation.induced(self.g, charts.statistics_units(self.g)),
            title="Statistics: patent filings, grants and shares of the world",
            subtitle="every figure as its sources state it, with charts and tables",
            extra=charts.statistics_extra(store),
        )

    def _run_queries(self, engine: Any) -> list[_Query]:
        from ip5graph.query import catalogue, parameters

        found = []
        for q in catalogue.catalogue():
            missing = [p.name for p in q.params if p.example is None]
            if missing:
                self.report.notes.append(f"query {q.name}: skipped, no example value for {', '.join(missing)}")
                continue
            bindings = q.example_bindings()
            result = engine.run(parameters.prepare_named(q, bindings))
            found.append(_Query(q.name, q.title, q.description, q.text, bindings, result))
        return found

    def _downloads(self, triples: list[Any], positions: dict[str, tuple[float, float]]) -> list[tuple[str, str, int]]:
        from ip5graph.kg.export import export_text
        from ip5graph.network import export

        made = []
        for fmt, name in RDF_NAMES.items():
            data = export_text(triples, fmt)
            self._write(f"downloads/{name}", data)
            made.append((f"downloads/{name}", _format_label(fmt), len(data)))
            self._tick(name)
        for fmt in export.GRAPH_FORMATS:
            for name, data in export.export_graph(self.g, fmt, positions).items():
                self._write(f"downloads/{name}", data)
                made.append((f"downloads/{name}", _format_label(fmt, name), len(data)))
            self._tick(fmt)
        return made

    def _entity_page(self, v: str, rel: str) -> None:
        g = self.g
        sub = navigation.neighbourhood(g, v, self.depth)
        a = g.nodes[v]
        sentences = []
        for u, w, k, attrs in navigation.iter_edges_sorted(sub):
            if v in (u, w):
                step = paths.Step(u, w, k, True, attrs)
                sentences.append(paths.explain(g, [step]))
        esc = html.escape
        extra = ""
        if sentences:
            extra = "<h2>In words</h2><ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>"
        self._page(
            rel,
            sub,
            title=f"{a['label']} ({a.get('cls_label', '')})",
            subtitle=f"{a['iri']}: neighbourhood of depth {self.depth}, {len(sub)} entities",
            focus=v,
            extra=extra,
        )

    def _query_page(self, q: _Query) -> None:
        from ip5graph.rdf.terms import compact, triple_key

        g, r = self.g, q.result
        sub = navigation.result_graph(g, r)
        rows: list[tuple[Any, ...]]
        if r.is_graph:
            header = ["subject", "predicate", "object"]
            rows = [(t.subject, t.predicate, t.object) for t in sorted(r.triples, key=triple_key)]
        else:
            header = list(r.variables)
            rows = list(r.rows) if r.form == "SELECT" else [(_Bool(r.boolean),)]
        if len(sub) == 0:
            named = [navigation.resolve_quiet(g, val) for val in q.bindings.values()]
            sub = navigation.induced(g, [n for n in named if n])
        esc = html.escape
        root = "../"

        def cell(t: Any) -> str:
            if t is None:
                return ""
            kind = type(t).__name__
            if kind == "NamedNode":
                text = esc(compact(t.value))
                page = self.pages.get(t.value)
                return f'<a href="{esc(root + page, quote=True)}">{text}</a>' if page else text
            if kind == "Literal":
                return esc(t.value) + (f' <span class="muted">@{esc(t.language)}</span>' if t.language else "")
            return esc(str(t))

        parts = [f"<h2>{esc(q.title)}</h2>"]
        if q.description:
            parts.append(f"<p>{esc(q.description)}</p>")
        if q.bindings:
            shown = ", ".join(f"{k} = {v}" for k, v in sorted(q.bindings.items()))
            flags = "".join(f" -p {k}={v}" for k, v in sorted(q.bindings.items()))
            parts.append(
                f"<p>Run with the example parameters: {esc(shown)}. "
                f"Command line: <code>ip5graph query {esc(q.name)}{esc(flags)}</code></p>"
            )
        else:
            parts.append(f"<p>Command line: <code>ip5graph query {esc(q.name)}</code></p>")
        parts.append(
            f"<p>{len(rows)} {'triples' if r.is_graph else 'rows'}; the graph above shows the "
            f"{len(sub)} entities they name.</p>"
        )
        parts.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr></thead><tbody>")
        parts.extend("<tr>" + "".join(f"<td>{cell(t)}</td>" for t in row) + "</tr>" for row in rows)
        parts.append("</tbody></table>")
        parts.append(f"<h3>SPARQL</h3><pre>{esc(q.text)}</pre>")
        self._page(
            f"queries/{q.name}.html",
            sub,
            title=f"Query {q.name}: {q.title}",
            subtitle=f"{len(rows)} {'triples' if r.is_graph else 'rows'}",
            extra="".join(parts),
        )

    def _index(self, queries: list[_Query], downloads: list[tuple[str, str, int]]) -> None:
        g = self.g
        esc = html.escape
        ranked = sorted(g, key=lambda v: (-g.nodes[v]["betweenness"], -g.nodes[v]["degree"], v))[:INDEX_TOP]
        top = navigation.induced(g, ranked)
        parts = [
            "<section><h2>Views</h2><ul>",
            f'<li><a href="overview.html">The whole graph</a> ({len(g)} entities, {g.number_of_edges()} links)</li>',
            '<li><a href="timeline.html">Timeline</a> of the heads meetings and of the heads of each office</li>',
            "</ul><p>The graph above shows the most central entities (betweenness). Every office, meeting and "
            "person has its own page with its neighbourhood; click a node, then &quot;Open its page&quot;.</p>"
            "</section>",
        ]
        titles = {"office": "Offices", "meeting": "Meetings", "person": "People"}
        for kind in PAGE_KINDS:
            items = sorted(
                ((g.nodes[v]["label"], rel) for v, rel in self.pages.items() if rel.startswith(kind + "/")),
                key=lambda x: (x[1] if kind == "meeting" else x[0].casefold(), x[1]),
            )
            parts.append(f'<section id="{kind}"><h2>{titles[kind]} ({len(items)})</h2><ul class="columns">')
            parts.extend(f'<li><a href="{esc(rel, quote=True)}">{esc(label)}</a></li>' for label, rel in items)
            parts.append("</ul></section>")
        parts.append(f'<section id="queries"><h2>Named queries ({len(queries)})</h2><ul>')
        parts.extend(
            f'<li><a href="queries/{esc(q.name, quote=True)}.html">{esc(q.name)}</a>: {esc(q.title)}</li>'
            for q in queries
        )
        parts.append("</ul>")
        if self.report.notes:
            parts.append("<p>" + "<br>".join(esc(n) for n in self.report.notes) + "</p>")
        parts.append('</section><section id="downloads"><h2>Downloads</h2><ul>')
        parts.extend(
            f'<li><a href="{esc(rel, quote=True)}">{esc(rel.split("/")[-1])}</a>: {esc(label)}, {_size(size)}</li>'
            for rel, label, size in downloads
        )
        parts.append("</ul></section>")
        self._page(
            "index.html",
            top,
            title="IP5 knowledge graph",
            subtitle="The co-operation of the five largest patent offices: offices, heads, meetings, "
            "initiatives, each fact with its sources",
            extra="".join(parts),
        )


class _Bool:
    """An ASK answer shown in the table like a term."""

    def __init__(self, value: bool | None) -> None:
        self.value = "true" if value else "false"
        self.language = ""

    def __str__(self) -> str:
        return self.value


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _format_label(fmt: str, name: str = "") -> str:
    labels = {
        "ttl": "Turtle (RDF)",
        "nt": "N-Triples (RDF)",
        "jsonld": "JSON-LD (RDF)",
        "xml": "RDF/XML",
        "trig": "TriG, one named graph per source (RDF)",
        "graphml": "GraphML with the overview's positions (Gephi, yEd)",
        "gexf": "GEXF with positions and colours (Gephi)",
    }
    if fmt == "csv":
        return (
            "nodes for a Neo4j import (neo4j-admin headers)"
            if name.startswith("nodes")
            else "relationships for a Neo4j import"
        )
    return labels.get(fmt, fmt)
