"""Command-line pair for the offline site: build.

Same rules as every command module: parse, call one library function, print. Heavy imports
(networkx, the projection, the pages) happen inside the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ip5graph.cli.common import ProgressBar, data_option, formatter, out
from ip5graph.errors import UsageError

# ---------------------------------------------------------------- build


def _add_build(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the browsable offline site (views, timeline, query tables, downloads)",
        formatter_class=formatter,
        description="Build a folder of HTML pages that work offline from file://: index.html with one search "
        "over every entity, a page for every labelled entity at a path mirroring its IRI (id/office/jpo.html, "
        "with its Turtle and JSON-LD beside it), an overview, a timeline, every named query as a table "
        "(for every value of its parameter) and a graph, and downloads in every export format. Built in a "
        "temporary folder and swapped in, so a failed build leaves the previous site intact.",
        epilog="examples:\n  ip5graph build\n  ip5graph build -o /tmp/ip5-site --depth 2\n"
        "then open site/index.html in a browser",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=Path("site"), metavar="DIR", help="site folder (default: site/)"
    )
    p.add_argument("--depth", type=int, default=1, help="neighbourhood depth of the entity pages (default 1)")
    p.add_argument(
        "--inline",
        action="store_true",
        help="inline the scripts and styles into every page (much bigger, but each page stands alone)",
    )
    data_option(p)


def cmd_build(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.web.site import build_site

    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    progress = ProgressBar(end="\n") if sys.stderr.isatty() else None
    report = build_site(
        open_graph(data=args.data), args.output, depth=args.depth, inline=args.inline, progress=progress
    )
    for note in report.notes:
        sys.stderr.write(f"ip5graph: note: {note}\n")
    out(
        f"built {args.output}/: {len(report.pages)} pages, {len(report.files)} files; "
        f"open {args.output / 'index.html'}\n"
    )
    return 0


COMMANDS = [
    ("build", _add_build, cmd_build),
]
