"""The command line: parses arguments, calls one library function, prints. Nothing else.

Each command is a pair of functions, `_add_NAME(subparsers)` and `cmd_NAME(args) -> int`, listed
in COMMANDS; a new command is one more pair (other modules may add theirs the same way).
Errors from the library arrive as Ip5GraphError and leave as one line on stderr with the
error's exit code (1 failed check or query, 2 usage). The query path imports no rdflib.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from ip5graph.errors import Ip5GraphError, UsageError

PROG = "ip5graph"
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import argparse

_PARSER_CLASS: type | None = None


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser, except that a usage error is one line (exit 2), not usage plus error.

    Made on first use: argparse is not imported at all on the fast query path.
    """
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
        import argparse

        class _Parser(argparse.ArgumentParser):
            def error(self, message: str) -> None:  # type: ignore[override]
                raise UsageError(f"{message} (see {self.prog} --help)")

        _PARSER_CLASS = _Parser
    return _PARSER_CLASS


def _formatter(prog: str) -> argparse.HelpFormatter:
    import argparse

    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", action="append", type=Path, metavar="DIR",
                   help="Turtle folder or file to use instead of the bundled graph data (repeatable)")


def _out(text: str) -> None:
    sys.stdout.write(text)


def _out_bytes(data: bytes) -> None:
    """Bytes as they are (exports): flush the text layer first so nothing is reordered."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


# ---------------------------------------------------------------- queries

def _add_queries(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queries", help="list the named queries", formatter_class=_formatter,
                       description="List the named queries: name, title and parameters.",
                       epilog="example:\n  ip5graph queries")
    p.add_argument("-v", "--verbose", action="store_true", help="show descriptions and example parameters")


def cmd_queries(args: argparse.Namespace) -> int:
    from ip5graph.query.catalogue import catalogue

    queries = catalogue()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        params = " ".join(f"{p.name}={p.type.upper()}" for p in q.params)
        _out(f"{q.name:<{width}}  {q.title}" + (f"  [{params}]" if params else "") + "\n")
        if args.verbose:
            if q.description:
                _out(f"{'':<{width}}  {q.description}\n")
            for p in q.params:
                ex = f" (e.g. {p.example})" if p.example else ""
                _out(f"{'':<{width}}  --param {p.name}: {p.description}{ex}\n")
    return 0


# ---------------------------------------------------------------- query

def _add_query(sub: argparse._SubParsersAction) -> None:
    from ip5graph.query.formats import FORMATS

    p = sub.add_parser(
        "query", help="run a named query, a .rq file or SPARQL text", formatter_class=_formatter,
        description="Run a named query (see `ip5graph queries`), a .rq file, or SPARQL given with -e.",
        epilog="examples:\n"
               "  ip5graph query 02-heads-meetings\n"
               "  ip5graph query 03-meeting-participants --param meeting=meeting:heads-2021 --format csv\n"
               "  ip5graph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --engine rdflib\n"
               "  ip5graph query 01-offices --endpoint http://127.0.0.1:7878",
    )
    p.add_argument("target", nargs="?", metavar="NAME|FILE.rq", help="query name or file")
    p.add_argument("-e", "--expr", metavar="SPARQL", help="SPARQL query text")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a query parameter (repeatable)")
    p.add_argument("-f", "--format", choices=FORMATS, default=None,
                   help="output format (default: table, or ttl for CONSTRUCT/DESCRIBE)")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph", help="query engine")
    p.add_argument("--width", type=int, default=None, help="cut tables to this many columns")
    _data_option(p)
    from ip5graph.cli.serve import add_query_options

    add_query_options(p)


def cmd_query(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.query import parameters

    if bool(args.target) == bool(args.expr):
        raise UsageError("ip5graph query: give a query NAME or FILE.rq, or -e SPARQL (one of them)")
    params = parameters.parse_param_args(args.param)
    if args.expr:
        prepared = parameters.prepare_text(args.expr, params)
    else:
        prepared = parameters.resolve(args.target, params)
    remote = None
    if hasattr(args, "endpoint"):  # parsed by argparse, which knows the remote options
        from ip5graph.cli.serve import remote_engine

        remote = remote_engine(args)
    result = remote.run(prepared) if remote else open_graph(data=args.data, engine=args.engine, store="cached").run(prepared)
    fmt = args.format or ("ttl" if result.is_graph else "table")
    width = args.width
    if width is None and fmt == "table" and sys.stdout.isatty():
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    _out(result.serialize(fmt, width))
    return 0


# ---------------------------------------------------------------- validate

def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate", help="check parsing, the SHACL shapes and the canonical form",
        formatter_class=_formatter,
        description="Parse every file (file:line:column on error), validate against ontology/shapes.ttl "
                    "(results grouped by shape, with labels) and check the canonical Turtle form. "
                    "Exit 1 when anything fails.",
        epilog="examples:\n  ip5graph validate\n  ip5graph validate --data my_data/ --no-canonical",
    )
    p.add_argument("--shapes", type=Path, help="SHACL shapes file (default: the bundled ontology/shapes.ttl)")
    p.add_argument("--no-canonical", action="store_true", help="skip the canonical-form check")
    _data_option(p)


def cmd_validate(args: argparse.Namespace) -> int:
    from ip5graph.kg.store import Inputs
    from ip5graph.kg.validate import validate

    inputs = Inputs.default(args.data)
    if args.shapes is not None and not args.shapes.is_file():
        raise UsageError(f"{args.shapes}: no such shapes file")
    report = validate(inputs, args.shapes, check_canonical=not args.no_canonical)
    _out(f"files: {len(report.files)} parsed" + (f", {len(report.parse_errors)} with errors" if report.parse_errors else "") + "\n")
    for err in report.parse_errors:
        _out(f"  {err}\n")
    if report.parse_errors:
        _out("SHACL: not run (fix the parse errors first)\n")
    elif not report.shacl_ran:
        _out("SHACL: no shapes file (ontology/shapes.ttl); skipped\n")
    else:
        groups = report.by_shape()
        n = len(report.violations)
        _out(f"SHACL: {'conforms' if not n else f'{n} results in {len(groups)} shapes'}\n")
        for shape, items in groups.items():
            _out(f"  {shape} ({len(items)}):\n")
            for v in items:
                who = f"{v.focus_label} ({v.focus})" if v.focus_label else v.focus
                where = f" {v.path}" if v.path else ""
                value = f" = {v.value}" if v.value else ""
                rule = f" [{v.component}]" if v.component else ""
                _out(f"    {v.severity}{rule}: {who}{where}{value}: {v.message}\n")
    for path in report.noncanonical:
        _out(f"canonical: {path} is not in canonical form (python -m ip5graph.rdf.canonical --write {path})\n")
    if not report.parse_errors and not args.no_canonical and not report.noncanonical:
        _out("canonical: all files in canonical form\n")
    _out("valid\n" if report.conforms else "NOT valid\n")
    return 0 if report.conforms else 1


# ---------------------------------------------------------------- export

def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the whole graph as ttl, nt, jsonld, xml or trig, or the network as graphml, gexf "
                       "or csv", formatter_class=_formatter,
        description="Write the ontology plus graph data in one RDF format, sorted (the same input gives "
                    "the same bytes). TriG puts each triple in the named graph of its subject's source. "
                    "graphml/gexf/csv write the entity network instead (with the whole-graph view's positions, "
                    "for Gephi; csv: nodes.csv and edges.csv with neo4j-admin import headers, into -o FOLDER).",
        epilog="examples:\n  ip5graph export --format nt -o ip5.nt\n  ip5graph export --format trig > ip5.trig\n"
               "  ip5graph export --format gexf -o ip5.gexf\n  ip5graph export --format csv -o neo4j-import/",
    )
    p.add_argument("-f", "--format", choices=("ttl", "nt", "jsonld", "xml", "trig", "graphml", "gexf", "csv"),
                   default="ttl", help="output format (default ttl)")
    p.add_argument("-o", "--output", type=Path, help="file (csv: folder) to write atomically; default stdout")
    _data_option(p)


def cmd_export(args: argparse.Namespace) -> int:
    from ip5graph.files import atomic_write_bytes
    from ip5graph.kg.export import export_text, triples_of
    from ip5graph.kg.store import Inputs, load_memory

    if args.format in ("graphml", "gexf", "csv"):
        from ip5graph.kg.graph import open as open_graph
        from ip5graph.network.export import export_network

        files = export_network(open_graph(data=args.data), args.format, args.output)
        if args.output is None:
            _out_bytes(next(iter(files.values())))
        return 0
    data = export_text(triples_of(load_memory(Inputs.default(args.data))), args.format)
    if args.output:
        atomic_write_bytes(args.output, data)
    else:
        _out_bytes(data)
    return 0


# ---------------------------------------------------------------- stats

def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="count triples, nodes per class and sources per tier",
                       formatter_class=_formatter,
                       description="Counts: triples, instances per class, and per reliability tier the "
                                   "number of sources and of nodes citing them.",
                       epilog="example:\n  ip5graph stats")
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json", "md"), default="table")
    _data_option(p)


def cmd_stats(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.kg.stats import stats
    from ip5graph.network.analytics import central

    kg = open_graph(data=args.data)
    s = stats(kg)
    top = central(kg, 10)
    if args.format == "table":
        _out(f"triples: {s.triples}\n\nnodes per class\n")
        _out(s.classes.to_table())
        _out("\nsources per tier\n")
        _out(s.tiers.to_table())
        _out("\nmost central entities (betweenness in the entity network)\n")
        _out(top.to_table())
    else:
        _out(s.classes.serialize(args.format))
        _out(s.tiers.serialize(args.format))
        _out(top.serialize(args.format))
    return 0


# ---------------------------------------------------------------- main

# (name, add the subparser, run it): annotated loosely so that argparse need not be imported
COMMANDS: list[tuple[str, Callable[..., None], Callable[..., int]]] = [
    ("queries", _add_queries, cmd_queries),
    ("query", _add_query, cmd_query),
    ("validate", _add_validate, cmd_validate),
    ("export", _add_export, cmd_export),
    ("stats", _add_stats, cmd_stats),
]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that one of this module's commands (the fast path).

    Why `only`: the other command modules import their libraries at load time, which would
    cost a cold `ip5graph query` tens of milliseconds.
    """
    from ip5graph import __version__

    parser_class = _parser_class()
    parser = parser_class(
        prog=PROG, formatter_class=_formatter,
        description="Query and check the IP5 knowledge graph (ontology + graph data, bundled).",
        epilog="examples:\n"
               "  ip5graph queries\n"
               "  ip5graph query 02-heads-meetings\n"
               "  ip5graph validate\n"
               "Run `ip5graph COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    if only is not None:
        for name, add, run in COMMANDS:
            if name == only:
                add(sub)
                sub.choices[name].set_defaults(func=run)
        return parser
    from ip5graph.cli.network import COMMANDS as GRAPH_COMMANDS  # view, path, build (imports this module)
    from ip5graph.cli.serve import COMMANDS as ENDPOINT_COMMANDS  # serve, push (imports this module)

    for name, add, run in COMMANDS + GRAPH_COMMANDS + ENDPOINT_COMMANDS:
        add(sub)
        sub.choices[name].set_defaults(func=run)
    return parser


_FAST_QUERY_OPTIONS = {"-e": "expr", "--expr": "expr", "-p": "param", "--param": "param",
                       "-f": "format", "--format": "format", "--engine": "engine", "--width": "width",
                       "--data": "data"}


def _fast_query_args(argv: list[str]) -> argparse.Namespace | None:
    """A plain `ip5graph query ...` command line, parsed without argparse; None for anything else.

    Why: importing argparse and building the parser is about a fifth of a cold query's time. Only
    the common options are handled here; help, mistakes and every other option go through
    argparse (so the two can only differ in speed, never in meaning).
    """
    if not argv or argv[0] != "query":
        return None
    from ip5graph.query.formats import FORMATS

    args: dict[str, object] = {"target": None, "expr": None, "param": [], "format": None,
                               "engine": "oxigraph", "width": None, "data": None, "func": cmd_query}
    i = 1
    while i < len(argv):
        token = argv[i]
        name, eq, attached = token.partition("=")
        if token in _FAST_QUERY_OPTIONS and i + 1 < len(argv):
            key, value, i = _FAST_QUERY_OPTIONS[token], argv[i + 1], i + 2
        elif token.startswith("--") and eq and name in _FAST_QUERY_OPTIONS:
            key, value, i = _FAST_QUERY_OPTIONS[name], attached, i + 1
        elif token.startswith("-") or args["target"] is not None:
            return None
        else:
            args["target"], i = token, i + 1
            continue
        if key == "param":
            args["param"].append(value)  # type: ignore[union-attr]
        elif key == "data":
            args["data"] = [*(args["data"] or []), Path(value)]  # type: ignore[misc]
        elif key == "width":
            if not value.isdigit():
                return None
            args["width"] = int(value)
        elif (key == "format" and value not in FORMATS) or (key == "engine" and value not in ("oxigraph", "rdflib")):
            return None
        elif key in ("expr", "format") and args[key] is not None:
            return None  # given twice: let argparse decide
        else:
            args[key] = value
    return _Namespace(**args)  # type: ignore[return-value]


class _Namespace:
    """Stands in for argparse.Namespace on the fast path."""

    def __init__(self, **kwargs: object) -> None:
        self.__dict__.update(kwargs)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ip5graph` command; returns the exit code."""
    try:
        args_list = sys.argv[1:] if argv is None else list(argv)
        fast_args = _fast_query_args(args_list)
        if fast_args is not None:
            return cmd_query(fast_args)  # type: ignore[arg-type]
        first = next((a for a in args_list if not a.startswith("-")), None)
        fast = first if first in {name for name, _, _ in COMMANDS} else None
        parser = build_parser(only=fast)
        args = parser.parse_args(args_list)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return args.func(args)
    except Ip5GraphError as e:
        sys.stderr.write(f"ip5graph: error: {e}\n")
        return e.exit_code
    except BrokenPipeError:
        # the reader went away (ip5graph ... | head): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        sys.stderr.write(f"ip5graph: error: {e.filename + ': ' if e.filename else ''}{e.strerror or e}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
