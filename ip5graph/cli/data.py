"""Command-line pairs for the graph's files: validate, export, stats.

Same rules as every command module: parse, call one library function, print.
"""

from __future__ import annotations

from pathlib import Path

from ip5graph.cli.common import data_option, formatter, out, out_bytes
from ip5graph.errors import UsageError

TYPE_CHECKING = False  # typing and argparse cost milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import argparse
    from typing import Any

    from ip5graph.query.results import Result

# ---------------------------------------------------------------- validate


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check parsing, the SHACL shapes and the canonical form",
        formatter_class=formatter,
        description="Parse every file (file:line:column on error), validate against ontology/shapes.ttl "
        "(results grouped by shape, with labels) and check the canonical Turtle form. "
        "Exit 1 when anything fails.",
        epilog="examples:\n  ip5graph validate\n  ip5graph validate --data my_data/ --no-canonical",
    )
    p.add_argument("--shapes", type=Path, help="SHACL shapes file (default: the bundled ontology/shapes.ttl)")
    p.add_argument("--no-canonical", action="store_true", help="skip the canonical-form check")
    data_option(p)


def cmd_validate(args: argparse.Namespace) -> int:
    from ip5graph.kg.inputs import Inputs
    from ip5graph.kg.validate import validate

    inputs = Inputs.default(args.data)
    if args.shapes is not None and not args.shapes.is_file():
        raise UsageError(f"{args.shapes}: no such shapes file")
    report = validate(inputs, args.shapes, check_canonical=not args.no_canonical)
    out(
        f"files: {len(report.files)} parsed"
        + (f", {len(report.parse_errors)} with errors" if report.parse_errors else "")
        + "\n"
    )
    for err in report.parse_errors:
        out(f"  {err}\n")
    if report.parse_errors:
        out("SHACL: not run (fix the parse errors first)\n")
    elif not report.shacl_ran:
        out("SHACL: no shapes file (ontology/shapes.ttl); skipped\n")
    else:
        groups = report.by_shape()
        n = len(report.violations)
        out(f"SHACL: {'conforms' if not n else f'{n} results in {len(groups)} shapes'}\n")
        for shape, items in groups.items():
            out(f"  {shape} ({len(items)}):\n")
            for v in items:
                who = f"{v.focus_label} ({v.focus})" if v.focus_label else v.focus
                where = f" {v.path}" if v.path else ""
                value = f" = {v.value}" if v.value else ""
                rule = f" [{v.component}]" if v.component else ""
                out(f"    {v.severity}{rule}: {who}{where}{value}: {v.message}\n")
    for path in report.noncanonical:
        out(f"canonical: {path} is not in canonical form (python -m ip5graph.rdf.canonical --write {path})\n")
    if not report.parse_errors and not args.no_canonical and not report.noncanonical:
        out("canonical: all files in canonical form\n")
    out("valid\n" if report.conforms else "NOT valid\n")
    return 0 if report.conforms else 1


# ---------------------------------------------------------------- export


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the whole graph as ttl, nt, jsonld, xml or trig, or the network as graphml, gexf or csv",
        formatter_class=formatter,
        description="Write the ontology plus graph data in one RDF format, sorted (the same input gives "
        "the same bytes). TriG puts each triple in the named graph of its subject's source. "
        "graphml/gexf/csv write the entity network instead (with the whole-graph view's positions, "
        "for Gephi; csv: nodes.csv and edges.csv with neo4j-admin import headers, into -o FOLDER).",
        epilog="examples:\n  ip5graph export --format nt -o ip5.nt\n  ip5graph export --format trig > ip5.trig\n"
        "  ip5graph export --format gexf -o ip5.gexf\n  ip5graph export --format csv -o neo4j-import/",
    )
    p.add_argument(
        "-f",
        "--format",
        choices=("ttl", "nt", "jsonld", "xml", "trig", "graphml", "gexf", "csv"),
        default="ttl",
        help="output format (default ttl)",
    )
    p.add_argument("-o", "--output", type=Path, help="file (csv: folder) to write atomically; default stdout")
    data_option(p)


def cmd_export(args: argparse.Namespace) -> int:
    from ip5graph.files import atomic_write_bytes
    from ip5graph.kg.export import export_text
    from ip5graph.kg.graph import open as open_graph

    kg = open_graph(data=args.data)
    if args.format in ("graphml", "gexf", "csv"):
        from ip5graph.network.export import export_network
        from ip5graph.web.layout import layout

        g = kg.network().graph
        files = export_network(g, args.format, args.output, layout(g))  # the whole-graph view's positions
        if args.output is None:
            out_bytes(next(iter(files.values())))
        return 0
    data = export_text(kg.triples(), args.format)
    if args.output:
        atomic_write_bytes(args.output, data)
    else:
        out_bytes(data)
    return 0


# ---------------------------------------------------------------- stats


def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stats",
        help="count triples, nodes per class and sources per tier",
        formatter_class=formatter,
        description="Counts: triples, instances per class, and per reliability tier the "
        "number of sources and of nodes citing them.",
        epilog="example:\n  ip5graph stats",
    )
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json", "md"), default="table")
    data_option(p)


def cmd_stats(args: argparse.Namespace) -> int:
    from ip5graph.kg.graph import open as open_graph
    from ip5graph.kg.stats import stats
    from ip5graph.network.analytics import top_entities

    kg = open_graph(data=args.data)
    s = stats(kg)
    top = _as_result(top_entities(kg.network().graph, 10))
    if args.format == "table":
        out(f"triples: {s.triples}\n\nnodes per class\n")
        out(s.classes.to_table())
        out("\nsources per tier\n")
        out(s.tiers.to_table())
        out("\nmost central entities (betweenness in the entity network)\n")
        out(top.to_table())
    else:
        out(s.classes.serialize(args.format))
        out(s.tiers.serialize(args.format))
        out(top.serialize(args.format))
    return 0


def _as_result(top: list[dict[str, Any]]) -> Result:
    """The most central entities as a query-style Result, so they print in every format."""
    import pyoxigraph as ox

    from ip5graph.query.results import Result
    from ip5graph.rdf.namespaces import PREFIXES

    integer, decimal = (ox.NamedNode(PREFIXES["xsd"] + name) for name in ("integer", "decimal"))
    rows = [
        (
            ox.Literal(str(rank), datatype=integer),
            ox.NamedNode(e["iri"]),
            ox.Literal(e["label"]),
            ox.Literal(e["class"]),
            ox.Literal(f"{e['betweenness']:.4f}", datatype=decimal),
            ox.Literal(f"{e['degree']:.4f}", datatype=decimal),
        )
        for rank, e in enumerate(top, start=1)
    ]
    return Result("SELECT", ["rank", "entity", "label", "class", "betweenness", "degree"], rows)


COMMANDS = [
    ("validate", _add_validate, cmd_validate),
    ("export", _add_export, cmd_export),
    ("stats", _add_stats, cmd_stats),
]
