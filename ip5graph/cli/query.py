"""Command-line pairs for the queries: queries (the catalogue) and query (run one).

Same rules as every command module: parse, call one library function, print. The query path
imports no rdflib, networkx or argparse (see fast.py).
"""

from __future__ import annotations

import os
import sys

from ip5graph.cli.common import data_option, formatter, out
from ip5graph.errors import UsageError

TYPE_CHECKING = False  # typing and argparse cost milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import argparse

# ---------------------------------------------------------------- queries


def _add_queries(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "queries",
        help="list the named queries",
        formatter_class=formatter,
        description="List the named queries: name, title and parameters.",
        epilog="example:\n  ip5graph queries",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show descriptions and example parameters")


def cmd_queries(args: argparse.Namespace) -> int:
    from ip5graph.query.catalogue import catalogue

    queries = catalogue()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        params = " ".join(f"{p.name}={p.type.upper()}" for p in q.params)
        out(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else "") + "\n")
        if args.verbose:
            if q.description:
                out(f"{'':<{width}}  {q.description}\n")
            for p in q.params:
                ex = f" (e.g. {p.example})" if p.example else ""
                out(f"{'':<{width}}  --param {p.name}: {p.description}{ex}\n")
    return 0


# ---------------------------------------------------------------- query


def _add_query(sub: argparse._SubParsersAction) -> None:
    from ip5graph.query.formats import FORMATS

    p = sub.add_parser(
        "query",
        help="run a named query, a .rq file or SPARQL text",
        formatter_class=formatter,
        description="Run a named query (see `ip5graph queries`), a .rq file, or SPARQL given with -e.",
        epilog="examples:\n"
        "  ip5graph query 02-heads-meetings\n"
        "  ip5graph query 03-meeting-participants --param meeting=meeting:heads-2021 --format csv\n"
        "  ip5graph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --engine rdflib\n"
        "  ip5graph query 01-offices --endpoint http://127.0.0.1:7878",
    )
    p.add_argument("target", nargs="?", metavar="NAME|FILE.rq", help="query name or file")
    p.add_argument("-e", "--expr", metavar="SPARQL", help="SPARQL query text")
    p.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="bind a query parameter (repeatable)"
    )
    p.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default=None,
        help="output format (default: table, or ttl for CONSTRUCT/DESCRIBE)",
    )
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph", help="query engine")
    p.add_argument("--width", type=int, default=None, help="cut tables to this many columns")
    p.add_argument(
        "--max-rows",
        default=None,
        metavar="N",
        help="fail (exit 1) rather than read an answer of more than N rows or triples (default 1000000; 0: no limit)",
    )
    data_option(p)
    from ip5graph.cli.serve import add_query_options

    add_query_options(p)


def cmd_query(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.query import parameters

    if bool(args.target) == bool(args.expr):
        raise UsageError("ip5graph query: give a query NAME or FILE.rq, or -e SPARQL (one of them)")
    params = parameters.parse_param_args(args.param)
    remote = None
    if hasattr(args, "endpoint"):  # parsed by argparse, which knows the remote options
        from ip5graph.cli.serve import remote_engine

        remote = remote_engine(args)
    # names in parameters are looked up in the local graph's store (network.lookup; no projection)
    kg = open_graph(data=args.data, engine=args.engine, store="cached")
    if args.expr:
        prepared = parameters.prepare_text(args.expr, params)
    else:
        prepared = parameters.resolve(args.target, params, names=kg.find_entity)
    from ip5graph.query import limits

    given = getattr(args, "timeout", None)
    timeout = limits.seconds(given) if given is not None else limits.QUERY_TIMEOUT
    rows = getattr(args, "max_rows", None)
    budget = limits.Budget(timeout, limits.count(rows) if rows is not None else limits.MAX_ROWS, prepared.source)
    fmt = args.format or ("ttl" if prepared.form in ("CONSTRUCT", "DESCRIBE") else "table")
    engine = remote or kg
    # the engine cannot be interrupted inside one step (a sort, a count): past the deadline the
    # watchdog ends the process with one line. Table and md show labels: looked up with the answer.
    with limits.Watchdog(timeout and timeout + 0.5, str(budget.timed_out())):
        result = engine.run(prepared, budget, with_labels=fmt in ("table", "md"))
    width = args.width
    if width is None and fmt == "table" and sys.stdout.isatty():
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    out(result.serialize(fmt, width))
    return 0


COMMANDS = [
    ("queries", _add_queries, cmd_queries),
    ("query", _add_query, cmd_query),
]
