"""networkx graph -> one self-contained HTML page drawn by vis-network, with the project's template.

Why not pyvis's own template or `from_nx`: `from_nx` is quadratic (9 s at 10k nodes), its template
links Bootstrap from a CDN in every mode and inserts text unescaped (research/anchors.md §3). We
use pyvis only for the vis-network 9.1.2 file it ships, inlined into the page (or, for a site,
written once next to the pages). All data goes into a JSON island with `<`, `>` and `&` escaped,
and the page script puts it on screen with textContent only.

Positions are computed here, with a fixed seed, so the same graph gives byte-identical HTML and
the browser never runs physics: spring layout below 300 nodes, a linear community layout above.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.errors import Ip5GraphError
from ip5graph.files import atomic_write_text
from ip5graph.web.pages import json_for_html, page_data

TEMPLATES = Path(__file__).with_name("templates")
VIS_RELATIVE = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


class ViewError(Ip5GraphError):
    """A view cannot be built (e.g. the vis-network asset is missing): one line, exit 1."""


# -- the page -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network 9.1.2 script that pyvis ships (read from disk, pyvis is not imported)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ViewError("pyvis is not installed: it provides the vis-network script the views embed")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*VIS_RELATIVE)
    if not path.is_file():
        raise ViewError(f"vis-network script not found at {path}")
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


@lru_cache(maxsize=4)
def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


_SLOT = re.compile(r"\{\{(\w+)\}\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace {{name}} slots in one pass (inserted text is never re-scanned)."""

    def repl(m: re.Match[str]) -> str:
        return values[m.group(1)]

    return _SLOT.sub(repl, template)


def nav_html(links: Iterable[tuple[str, str]]) -> str:
    """A row of site links; hrefs are relative paths we built from slugs, text is escaped."""
    items = [f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>' for href, text in links]
    return f'<nav class="site">{"".join(items)}</nav>' if items else ""


def render(
    data: Mapping[str, Any],
    *,
    title: str,
    subtitle: str = "",
    nav: str = "",
    extra: str = "",
    vis_src: str | None = None,
) -> str:
    """Put page data into the template. `nav`/`extra` are HTML we built and escaped ourselves.

    vis_src: None inlines vis-network (a single self-contained file); a relative path makes the
    page load it from that local file instead (a site writes it once for all pages).
    """
    if vis_src is None:
        vis = "<script>\n" + vis_network_js() + "\n</script>"
    else:
        vis = f'<script src="{html.escape(vis_src, quote=True)}"></script>'
    return fill(
        _template("graph.html"),
        {
            "title": html.escape(title),
            "heading": html.escape(title),
            "subtitle": html.escape(subtitle),
            "nav": nav,
            "extra": extra,
            "data": json_for_html(data),
            "vis": vis,
            "app": _template("graph.js"),
            "chrome": _template("chrome.css").rstrip("\n"),
        },
    )


def build_html(
    g: nx.MultiDiGraph,
    *,
    title: str = "IP5 knowledge graph",
    subtitle: str = "",
    focus: str | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    lang: str = "en",
    seed: int = 0,
    pages: Mapping[str, str] | None = None,
    root: str = "",
    nav: str = "",
    extra: str = "",
    vis_src: str | None = None,
) -> str:
    """One HTML page showing `g`; same graph and arguments -> the same bytes."""
    data = page_data(g, positions=positions, focus=focus, pages=pages, root=root, lang=lang, seed=seed)
    if not subtitle:
        subtitle = f"{len(g)} entities, {g.number_of_edges()} links"
    return render(data, title=title, subtitle=subtitle, nav=nav, extra=extra, vis_src=vis_src)


def write_html(g: nx.MultiDiGraph, path: str | os.PathLike[str], **kwargs: Any) -> None:
    """build_html, written atomically."""
    atomic_write_text(path, build_html(g, **kwargs))
