"""query.html: a SPARQL workbench that answers in the browser, offline, from `file://` or any host.

Why this shape: Chromium blocks module scripts and fetch() on `file://`, so everything arrives as
classic scripts. Oxigraph's `web.js` (vendored, pinned) is turned into a classic script at build
time and its wasm travels inside it, gzip-compressed and base64-encoded (the browser inflates it
with DecompressionStream, which is no network request); the graph (ontology + data, the triples
`ip5graph query` sees) travels the same way as N-Triples in a data script. The page gets the named
queries, the prefixes, the IRI -> page map of the site and the projected network (for the graph
view, the same rule as `ip5graph view --query`) as data, so nothing here duplicates the site's rules.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from ip5graph.network import navigation

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
OXIGRAPH_DIR = WEB / "vendor" / "oxigraph"
OXIGRAPH_ASSET = "assets/oxigraph-web.js"
SPARQL_ASSET = "assets/workbench-sparql.js"
APP_ASSET = "assets/workbench.js"
DATA_ASSET = "assets/workbench-data.js"
PAGE = "query.html"
ASSET_ORDER = (OXIGRAPH_ASSET, DATA_ASSET, SPARQL_ASSET, APP_ASSET)


class WorkbenchError(Exception):
    """The vendored Oxigraph build is missing or not the shape this module converts."""


def _gzip_b64(data: bytes) -> str:
    """Deterministic gzip (no name, mtime 0), base64: the same bytes in, the same text out."""
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


# Exact edits that turn the wasm-bindgen ES module into a classic script; each must match once,
# so an upstream change fails the build instead of shipping a broken page.
_EDITS = (
    ("export { initSync, __wbg_init as default };", ""),
    (
        "module_or_path = new URL('web_bg.wasm', import.meta.url);",
        "throw new Error('oxigraph: the wasm bytes must be passed in');",
    ),
    ("module_or_path = fetch(module_or_path);", "throw new Error('oxigraph: no fetch in this build');"),
)


@lru_cache(maxsize=1)
def oxigraph_script() -> str:
    """Oxigraph's web.js as a classic script defining window.oxigraph, with the wasm inlined."""
    try:
        source = (OXIGRAPH_DIR / "web.js").read_text(encoding="utf-8")
        wasm = (OXIGRAPH_DIR / "web_bg.wasm").read_bytes()
    except OSError as e:
        raise WorkbenchError(f"vendored Oxigraph missing ({e}); run `python scripts/vendor.py`") from None
    for old, new in _EDITS:
        if source.count(old) != 1:
            raise WorkbenchError(f"oxigraph web.js: expected exactly one {old!r}; update workbench._EDITS")
        source = source.replace(old, new)
    names = re.findall(r"^export (?:class|function) (\w+)", source, flags=re.M)
    source = re.sub(r"^export (class|function) ", r"\1 ", source, flags=re.M)
    if "import.meta" in source or re.search(r"^\s*(import|export)\b", source, flags=re.M):
        raise WorkbenchError("oxigraph web.js: module syntax left after conversion")
    exports = ", ".join(f"{n}: {n}" for n in names)
    return (
        "/* Oxigraph (npm oxigraph, MIT OR Apache-2.0), converted to a classic script by ip5graph */\n"
        "(function () {\n" + source + "\nwindow.oxigraph = {" + exports + ", init: __wbg_init};\n"
        'window.OXIGRAPH_WASM_GZ = "' + _gzip_b64(wasm) + '";\n})();\n'
    )


def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def network_data(g: nx.MultiDiGraph, class_styles: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """The projected network, compact: what the browser needs to draw a result as
    network.select_graph does (entities named, records mapped to their two ends, edges among them)."""
    order = sorted(g)
    index = {v: i for i, v in enumerate(order)}
    classes = sorted({g.nodes[v].get("cls", "") for v in order})
    cindex = {c: i for i, c in enumerate(classes)}
    edges = []
    for u, v, k in sorted(g.edges(keys=True)):
        attrs = g.edges[u, v, k]
        edges.append([index[u], index[v], attrs.get("label", k), attrs.get("iri", "")])
    return {
        "classes": [
            [
                g.nodes[next(v for v in order if g.nodes[v].get("cls", "") == c)].get("cls_label") or "other",
                *class_styles.get(c, ("#888888", "dot")),
            ]
            for c in classes
        ],
        "nodes": [[v, g.nodes[v].get("label") or v, cindex[g.nodes[v].get("cls", "")]] for v in order],
        # per node, its slug and every label and alternative label: an IRI parameter also takes a name
        "names": [[g.nodes[v].get("slug", ""), navigation.all_labels(g.nodes[v])] for v in order],
        "edges": edges,
    }


def page_data(
    *,
    ntriples: bytes,
    queries: Iterable[Any],
    prefixes: Mapping[str, str],
    id_base: str,
    loaded_graph: str,
    pages: Mapping[str, str],
    network: Mapping[str, Any],
) -> dict[str, Any]:
    """Everything query.html reads, plain JSON; `pages` maps an IRI to its page (relative to the site root)."""
    return {
        "graph_gz": _gzip_b64(ntriples),
        "id": id_base,
        "loaded": loaded_graph,
        "network": network,
        "pages": dict(sorted(pages.items())),
        "prefixes": dict(prefixes),
        "queries": [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "text": q.text,
                "params": [
                    {"name": p.name, "type": p.type, "description": p.description, "example": p.example}
                    for p in q.params
                ],
            }
            for q in queries
        ],
    }


def data_script(data: Mapping[str, Any], json_for_html: Any) -> str:
    return "window.IP5_WORKBENCH = " + json_for_html(data) + ";\n"


def render_page(
    *,
    root: str = "",
    nav: str = "",
    sources: Iterable[str],
    inline: Mapping[str, str] | None = None,
    title: str = "Ask the graph: SPARQL workbench",
) -> str:
    """query.html: loads `sources` (paths from the site root, vis-network first), or with `inline`
    (path -> script text) carries them inside, each allowed by its hash in the CSP (no 'unsafe-inline')."""
    if inline is None:
        scripts = "\n".join(f'<script src="{html.escape(root + s, quote=True)}"></script>' for s in sources)
        allowed = "'self'"
    else:
        texts = [inline[s].replace("</script", "<\\/script") for s in sources]
        scripts = "\n".join(f"<script>{t}</script>" for t in texts)
        allowed = " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(t.encode("utf-8")).digest()).decode("ascii") + "'"
            for t in texts
        )
    text = template("workbench.html")
    chrome = template("chrome.css").rstrip("\n")
    for key, value in (
        ("chrome", chrome),
        ("title", html.escape(title)),
        ("nav", nav),
        ("scripts", scripts),
        ("script_src", allowed),
    ):
        text = text.replace("{{" + key + "}}", value)
    return text


def assets(data: Mapping[str, Any], json_for_html: Any) -> dict[str, str]:
    """The files query.html loads, relative to the site root, in load order after vis-network."""
    return {
        OXIGRAPH_ASSET: oxigraph_script(),
        DATA_ASSET: data_script(data, json_for_html),
        SPARQL_ASSET: template("workbench-sparql.js"),
        APP_ASSET: template("workbench.js"),
    }


STATEMENTS_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Every statement about one entity, both directions
SELECT ?direction ?property ?value
WHERE {{
  {{ <{iri}> ?property ?value . BIND ("out" AS ?direction) }}
  UNION
  {{ ?value ?property <{iri}> . BIND ("in" AS ?direction) }}
}}
ORDER BY DESC(?direction) ?property ?value
"""


def ask_link(iri: str, root: str = "") -> str:
    """A link into the workbench that lists every statement about `iri` (for "ask about this entity").

    `root` is the relative path from the linking page to the site root ("../" for office/jpo.html).
    The IRI must be an absolute IRI without characters SPARQL forbids in <...>; ValueError otherwise.
    """
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$", iri):
        raise ValueError(f"not an IRI that can be written as <...>: {iri!r}")
    return (
        root
        + PAGE
        + "#"
        + urllib.parse.urlencode({"query": STATEMENTS_QUERY.format(iri=iri)}, quote_via=urllib.parse.quote)
    )


def site_files(
    triples: Iterable[Any],
    g: nx.MultiDiGraph,
    pages: Mapping[str, str],
    *,
    nav: str = "",
    vis_src: str | None = "assets/vis-network.min.js",
) -> dict[str, str]:
    """query.html and its assets for a site whose root holds query.html (paths relative to it).

    `triples` are the graph's triples (what `ip5graph query` sees: kg.triples()), `g` its projection
    and `pages` the site's IRI -> page map, so the workbench links where the site's pages are.
    `vis_src` None: one self-contained query.html (every script inside), no assets.
    """
    from ip5graph.kg.export import export_text
    from ip5graph.network import vocabulary
    from ip5graph.query import catalogue, safety
    from ip5graph.rdf.namespaces import ID, PREFIXES
    from ip5graph.web.pages import json_for_html

    classes = sorted({g.nodes[v].get("cls", "") for v in g}, key=vocabulary.class_order)
    data = page_data(
        ntriples=export_text(triples, "nt"),
        queries=catalogue.catalogue(),
        prefixes=PREFIXES,
        id_base=ID,
        loaded_graph=safety.LOADED_GRAPH,
        pages=pages,
        network=network_data(g, vocabulary.class_styles(classes)),
    )
    files = assets(data, json_for_html)
    if vis_src is None:  # one self-contained page, as the site's --inline pages
        from ip5graph.web.render import vis_network_js

        files["vis"] = vis_network_js()
        return {PAGE: render_page(nav=nav, sources=["vis", *ASSET_ORDER], inline=files)}
    return {PAGE: render_page(nav=nav, sources=[vis_src, *ASSET_ORDER]), **files}
