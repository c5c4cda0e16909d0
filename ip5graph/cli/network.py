"""Command-line pairs for the network commands: view, path.

Same rules as every command module: parse, call one library function, print. Heavy imports (networkx, the
projection) happen inside the commands, so the query path stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ip5graph.cli.common import data_option, formatter, out
from ip5graph.errors import UsageError

# ---------------------------------------------------------------- view


def _add_view(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "view",
        help="write an interactive HTML view of the graph, a neighbourhood or a query",
        formatter_class=formatter,
        description="Write one self-contained HTML page (vis-network inlined, no network needed): the whole "
        "graph, the neighbourhood of one entity, or the result of a query as a graph "
        "(CONSTRUCT: its triples; SELECT: the entities in its rows and the links among them).",
        epilog="examples:\n"
        "  ip5graph view -o ip5.html\n"
        "  ip5graph view --focus office/jpo --depth 2 -o jpo.html\n"
        "  ip5graph view --focus 'Kasutani Toshihide' -o kasutani.html\n"
        "  ip5graph view --query 03-meeting-participants -p meeting=meeting:heads-2021 -o q.html",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--focus", metavar="ENTITY", help="slug (office/jpo, jpo), prefixed name or label")
    what.add_argument("--query", metavar="NAME|FILE", help="named query or .rq file to show as a graph")
    p.add_argument("--depth", type=int, default=1, help="hops around --focus (default 1)")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="bind a parameter of --query (repeatable)",
    )
    p.add_argument("--lang", default="en", help="label language shown first: en, ja, zh or ko (default en)")
    p.add_argument(
        "--keep-records", action="store_true", help="show tenures and participations as nodes instead of labelled edges"
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html", help="page to write")
    data_option(p)


def cmd_view(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.network import projection
    from ip5graph.query import parameters
    from ip5graph.web import views

    if args.param and not args.query:
        raise UsageError("--param needs --query")
    loaded = projection.load(open_graph(data=args.data), keep_nary=args.keep_records)
    if args.focus:
        view = views.around(loaded, args.focus, args.depth)
    elif args.query:
        view = views.from_query(loaded, args.query, parameters.parse_param_args(args.param))
    else:
        view = views.whole(loaded)
    views.write_view(view, args.output, lang=args.lang)
    out(f"wrote {args.output}: {len(view.graph)} entities, {view.graph.number_of_edges()} links\n")
    return 0


# ---------------------------------------------------------------- path


def _add_path(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "path",
        help="the shortest connection between two entities, in words",
        formatter_class=formatter,
        description="Find a shortest chain of links between two entities (in either direction) and say it "
        "in words. Exit 1 when they are not connected.",
        epilog="examples:\n  ip5graph path kasutani-toshihide office/jpo\n"
        "  ip5graph path 'Lisa Jorgenson' cnipa --hops",
    )
    p.add_argument("a", metavar="A", help="slug, prefixed name or label")
    p.add_argument("b", metavar="B", help="slug, prefixed name or label")
    p.add_argument("--hops", action="store_true", help="also list each hop with its sources")
    data_option(p)


def cmd_path(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.network import navigation, paths, projection

    loaded = projection.load(open_graph(data=args.data))
    steps, sentence = paths.path_between(loaded, args.a, args.b)
    if steps is None:
        out(f"no connection between {args.a} and {args.b}\n")
        return 1
    if not steps:
        out(f"{args.a} and {args.b} are the same entity\n")
        return 0
    out(sentence + "\n")
    if args.hops:
        g = loaded.graph
        for step in steps:
            src = ", ".join(r["id"] for r in navigation.sources_of(g, step.attrs.get("sources", [])))
            out(f"  {paths.explain(g, [step])}" + (f"  [{src}]" if src else "") + "\n")
    return 0


COMMANDS = [
    ("view", _add_view, cmd_view),
    ("path", _add_path, cmd_path),
]
