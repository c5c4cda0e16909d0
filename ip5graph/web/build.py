"""What `ip5graph build` writes (web/site.py publishes it): every page a reference page readable without scripts.

What it writes (all links relative, nothing fetched from the network):
  index.html           what the graph holds, every entity by class, queries, downloads, the central entities
  overview.html        the whole graph, grouped by class, labelled
  timeline.html        heads meetings and office heads on a time axis
  id/KIND/SLUG.html    one page per labelled entity (path mirrors the IRI), with .ttl and .jsonld beside it
  queries/NAME.html    every named query: its answer as a readable table, for every value of its parameter
  downloads/           the graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG, GraphML, GEXF, CSV
  query.html           the SPARQL workbench: any query answered in the browser (web/workbench.py)
  assets/              vis-network, the site's CSS and scripts, the search index, the workbench's Oxigraph
                       (wasm), scripts and data

Atomic: built in a temporary folder beside the target, which then replaces the target in two
renames; a failure leaves the previous site as it was. Deterministic: same data, same bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ip5graph.network import analytics, navigation
from ip5graph.web import layout, ontology, overview, paths, render, templating, timelinepage
from ip5graph.web.entitypages import SiteData, entity_files, graph_context  # noqa: F401 (benchmarks wrap entity_files)
from ip5graph.web.infobox import class_label
from ip5graph.web.publish import inside
from ip5graph.web.querypages import param_choices, result_table


def workbench_ask_link() -> Callable[[str, str], str] | None:
    """The SPARQL workbench's "ask about this entity" link maker (iri, root -> href), when the
    workbench module is there (it writes query.html itself)."""
    try:
        module = importlib.import_module("ip5graph.web.workbench")
    except ImportError:
        return None
    found = getattr(module, "ask_link", None)
    return found if callable(found) else None


VIS_ASSET = "assets/vis-network.min.js"
ASSETS = ("site.css", "site.js", "netgraph.js")
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
    entity_pages: dict[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> list[str]:
        return [f for f in self.files if f.endswith(".html")]


@dataclass
class QueryRun:
    q: Any
    result: Any


class Builder:
    """Writes every file of the site into `work` (an empty folder); `marker` names the file that says
    ip5graph built it."""

    def __init__(
        self,
        kg: Any,
        work: Path,
        *,
        seed: int,
        progress: Progress | None,
        depth: int = 1,
        inline: bool = False,
        marker: str = ".ip5graph-site",
    ) -> None:
        self.kg, self.work, self.seed, self.progress = kg, work, seed, progress
        self.depth, self.inline, self.marker = depth, inline, marker
        self.report = SiteReport(work)
        self.done = self.total = 0

    def write(self, rel: str, data: str | bytes) -> None:
        path = inside(self.work, rel)  # web.paths confines page paths; this guards every write
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="\n")
        else:
            path.write_bytes(data)
        self.report.files.append(rel)

    def tick(self, label: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, label)

    def page(self, rel: str, template: str, **context: Any) -> None:
        """Render one of the site's own pages (root-relative links from `rel`), write it, count it."""
        context.setdefault("root", paths.root_of(rel))
        self.write(rel, templating.render(template, inline=self.sd.inline, **context))
        self.tick(rel)

    def plain_page(
        self, rel: str, *, title: str, heading: str, graph: dict[str, Any], lead: str = "", body: Any = ""
    ) -> None:
        """A page.html.j2 page: heading, lead, free body and a graph (overview, ontology, statistics)."""
        self.page(rel, "page.html.j2", title=title, heading=heading, lead=lead, body=body, tables=[], graph=graph)

    def run(self) -> SiteReport:
        g = self.kg.network().graph
        analytics.annotate_centrality(g, seed=self.seed)
        triples = self.kg.triples()
        self.sd = sd = SiteData(triples, g)
        self.report.entity_pages = dict(sd.pages)
        queries = self.run_queries(self.kg.engine)
        self.total = len(sd.entities) + len(queries) + len(RDF_NAMES) + 8
        sd.depth = self.depth
        self.write(self.marker, "built by ip5graph build; this folder is replaced as a whole on the next build\n")
        assets = {name: templating.asset(name) for name in ASSETS}
        assets["search-index.js"] = sd.search_index()
        assets[VIS_ASSET.split("/")[-1]] = render.vis_network_js()
        if self.inline:
            sd.inline = templating.inline_assets(assets)
        else:
            for name, text in assets.items():
                self.write(f"assets/{name}", text)
        positions = layout.layout(g, seed=self.seed)
        downloads = self.downloads(triples, positions)
        self.overview()
        self.timeline()
        self.statistics()
        self.workbench(triples, g)
        self.ontology_page(triples)
        ask_link = workbench_ask_link()
        for iri in sd.entities:
            ask = ask_link(iri, paths.root_of(sd.pages[iri])) if ask_link else ""
            for rel, data in entity_files(sd, iri, seed=self.seed, ask=ask):
                self.write(rel, data)
            self.tick(sd.pages[iri])
        for run in queries:
            self.query_page(self.kg.engine, run)
        self.index(queries, downloads)
        self.report.files.sort()
        return self.report

    def workbench(self, triples: list[Any], g: Any) -> None:
        """query.html and its assets (one self-contained query.html when inline)."""
        from ip5graph.web import workbench

        nav = render.nav_html(templating.NAV)
        vis_src = None if self.inline else VIS_ASSET
        for rel, text in workbench.site_files(triples, g, self.sd.pages, nav=nav, vis_src=vis_src).items():
            self.write(rel, text)
        self.tick(workbench.PAGE)

    def run_queries(self, engine: Any) -> list[QueryRun]:
        from ip5graph.query import catalogue, parameters

        found = []
        for q in catalogue.catalogue():
            missing = [p.name for p in q.params if p.example is None]
            if missing:
                self.report.notes.append(f"query {q.name}: skipped, no example value for {', '.join(missing)}")
                continue
            found.append(QueryRun(q, engine.run(parameters.prepare_named(q, q.example_bindings()))))
        return found

    def downloads(self, triples: list[Any], positions: dict[str, tuple[float, float]]) -> list[tuple[str, str, str]]:
        from ip5graph.kg.export import export_text
        from ip5graph.network import export as graph_export

        made = []
        for fmt, name in RDF_NAMES.items():
            data = export_text(triples, fmt)
            self.write(f"downloads/{name}", data)
            made.append((f"downloads/{name}", format_label(fmt), size(len(data))))
            self.tick(name)
        for fmt in graph_export.NETWORK_FORMATS:
            for name, data in graph_export.export_graph(self.sd.g, fmt, positions).items():
                self.write(f"downloads/{name}", data)
                made.append((f"downloads/{name}", format_label(fmt, name), size(len(data))))
            self.tick(fmt)
        return made

    def overview(self) -> None:
        g = self.sd.g
        rel = "overview.html"
        pos, start = overview.band_layout(g)
        graph = graph_context(
            self.sd,
            g,
            rel,
            heading="The whole graph",
            positions=pos,
            full=True,
            extra={
                "start": overview.start_indices(g, start),
                "edge_text": False,
                "label_width": overview.LABEL_WIDTH,
                "font_size": overview.FONT_SIZE,
            },
            seed=self.seed,
            first=True,
        )
        graph["summary"] = (
            f"{len(g)} entities and {g.number_of_edges()} links, one band per class: meetings in "
            "time order, offices, people, and the rest. Zoom for more; untick a class to hide it."
        )
        self.plain_page(rel, title="Overview", heading="Overview of the graph", graph=graph)

    def ontology_page(self, triples: list[Any]) -> None:
        """ontology.html: every class and property documented, the classes drawn (web/ontology.py)."""
        rel = "ontology.html"
        page = ontology.page(ontology.store_of(triples))
        graph = graph_context(self.sd, page["sub"], rel, heading="The classes and how they relate", seed=self.seed)
        self.plain_page(
            rel, title="Ontology", heading=page["title"], lead=page["subtitle"], body=Markup(page["extra"]), graph=graph
        )

    def timeline(self) -> None:
        rel = "timeline.html"
        g = self.sd.g
        self.sd.link.at(rel)
        body, tables = timelinepage.timeline(g, self.sd.link, self.sd.boxes.org_names)
        sub, pos = timelinepage.timeline_graph(g)
        graph = graph_context(
            self.sd, sub, rel, heading="The same people, offices and meetings as a graph", positions=pos, seed=self.seed
        )
        self.page(rel, "timeline.html.j2", title="Timeline", body=body, tables=tables, graph=graph)

    def statistics(self) -> None:
        """statistics.html: the cube's charts and tables (web/charts.py), and the offices as a graph."""
        from ip5graph.web import charts

        rel = "statistics.html"
        if not self.inline:  # an inline build puts them into the page itself
            for name in charts.ASSETS:
                self.write(name, charts.asset(name))
        sub = navigation.induced(self.sd.g, charts.statistics_units(self.sd.g))
        graph = graph_context(self.sd, sub, rel, heading="The offices the figures are about", seed=self.seed)
        self.plain_page(
            rel,
            title="Statistics",
            heading="Statistics: patent filings, grants and shares of the world",
            body=Markup(charts.statistics_extra(self.kg, inline=self.inline)),
            graph=graph,
        )

    def query_page(self, engine: Any, run: QueryRun) -> None:
        sd, q = self.sd, run.q
        rel = f"queries/{q.name}.html"
        sd.link.at(rel)
        choices = param_choices(sd, engine, q) if q.params else []
        sd.link.at(rel)
        answer, rows = result_table(sd, run.result, "Answer", q.title)
        sub = navigation.result_graph(sd.g, run.result)
        if len(sub) == 0:
            named = [navigation.resolve_quiet(sd.g, val) for val in q.example_bindings().values()]
            sub = navigation.induced(sd.g, [n for n in named if n])
        if len(sub) == 0:  # an answer naming no entity: show the forum it is about, so the page still draws
            sub = navigation.induced(sd.g, sorted(sd.g, key=lambda v: -sd.g.nodes[v].get("betweenness", 0.0))[:1])
        graph = graph_context(sd, sub, rel, heading="The entities of the answer as a graph", seed=self.seed)
        self.page(rel, "query.html.j2", title=q.title, q=q, choices=choices, answer=answer, rows=rows, graph=graph)

    def index(self, queries: list[QueryRun], downloads: list[tuple[str, str, str]]) -> None:
        sd, g = self.sd, self.sd.g
        rel = "index.html"
        sd.link.at(rel)
        ranked = sorted(g, key=lambda v: (-g.nodes[v]["betweenness"], -g.nodes[v]["degree"], v))[:INDEX_TOP]
        top = navigation.induced(g, ranked)
        pos, _ = overview.band_layout(top, columns=10)  # labelled and grouped by class, like the overview
        graph = graph_context(
            sd,
            top,
            rel,
            heading="The most connected entities",
            positions=pos,
            extra={"edge_text": False, "label_width": overview.LABEL_WIDTH, "font_size": overview.FONT_SIZE},
            seed=self.seed,
            full=True,
        )
        groups: dict[str, list[Any]] = {}
        for iri in sd.entities:
            groups.setdefault(class_label(sd.ix, iri), []).append(iri)
        ordered = []
        for cls in sorted(groups):
            items = sorted(groups[cls], key=lambda i: (sd.ix.label(i).casefold(), i))
            ordered.append((cls, [sd.link.entity(i) for i in items]))
        self.page(
            rel,
            "index.html.j2",
            title="Home",
            graph=graph,
            groups=ordered,
            total=len(sd.entities),
            counts={"nodes": len(g), "edges": g.number_of_edges()},
            extra_views=[],
            queries=[(r.q.name, r.q.title) for r in queries],
            notes=self.report.notes,
            downloads=downloads,
        )


def size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def format_label(fmt: str, name: str = "") -> str:
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
