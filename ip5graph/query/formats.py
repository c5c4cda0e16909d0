"""One writer per output format, each a pure function of a Result, so both engines print the same bytes.

SELECT/ASK: table (labels, aligned, cut to a width), csv and tsv and json and xml (the SPARQL 1.1
results formats), md. CONSTRUCT/DESCRIBE: ttl, nt, jsonld (and table/md as subject, predicate,
object rows).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ip5graph.rdf.terms import XSD_STRING, Term, compact, prefixes_used, rdf_bytes, triple_key

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from ip5graph.query.results import Result

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("ttl", "nt", "jsonld", "table", "md")
FORMATS = tuple(dict.fromkeys(SELECT_FORMATS + GRAPH_FORMATS))


# ---------------------------------------------------------------- display (table, md)
def _graph_rows(result: Result) -> tuple[list[str], list[tuple[Term | ox.Triple | None, ...]]]:
    triples = sorted(result.triples, key=triple_key)
    return ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in triples]


def _display_rows(result: Result) -> tuple[list[str], list[list[str]]]:
    if result.form == "ASK":
        return ["boolean"], [["true" if result.boolean else "false"]]
    variables, rows = _graph_rows(result) if result.is_graph else (result.variables, result.rows)
    labels = result.labels

    def show(t: Term | ox.Triple | None) -> str:
        if t is None:
            return ""
        if isinstance(t, ox.NamedNode):
            return labels.get(t.value) or compact(t.value)
        if isinstance(t, ox.BlankNode):
            return "_:" + t.value
        if isinstance(t, ox.Triple):  # RDF-star: a quoted triple
            return str(t)
        return t.value

    return list(variables), [[" ".join(show(t).split()) for t in row] for row in rows]


def _width(text: str) -> int:
    if text.isascii():  # one column a character: the common case, without a per-character loop
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def to_table(result: Result, width: int | None = None) -> str:
    """Aligned columns with labels instead of IRIs, cut to `width` terminal columns."""
    header, rows = _display_rows(result)
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    if width:
        gap = 2 * (len(widths) - 1)
        while sum(widths) + gap > width:
            widest = max(range(len(widths)), key=lambda i: widths[i])
            if widths[widest] <= 6:
                break
            widths[widest] -= 1
    lines = [
        "  ".join(_pad(_cut(h, w), w) for h, w in zip(header, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        lines.append("  ".join(_pad(_cut(c, w), w) for c, w in zip(r, widths)).rstrip())
    if result.form != "ASK":
        n = len(rows)
        lines.append(
            f"({n} {'row' if n == 1 else 'rows'})"
            if not result.is_graph
            else f"({n} {'triple' if n == 1 else 'triples'})"
        )
    return "\n".join(lines) + "\n"


def to_md(result: Result) -> str:
    """A Markdown table with labels instead of IRIs."""
    header, rows = _display_rows(result)

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- SPARQL 1.1 results formats


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        w.writerow(["boolean"])
        w.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow(["" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return buf.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax."""
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(t: Term) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    import json

    if result.form == "ASK":
        doc: dict[str, object] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        doc = {
            "head": {"vars": list(result.variables)},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows
                ]
            },
        }
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml_term(t: Term) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_escape(t.value)}</bnode>"
    if t.language:
        return f'<literal xml:lang="{_xml_escape(t.language)}">{_xml_escape(t.value)}</literal>'
    if t.datatype.value != XSD_STRING:
        return f'<literal datatype="{_xml_escape(t.datatype.value)}">{_xml_escape(t.value)}</literal>'
    return f"<literal>{_xml_escape(t.value)}</literal>"


def to_xml(result: Result) -> str:
    """SPARQL Query Results XML."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "  <head>",
    ]
    if result.form == "ASK":
        lines += ["  </head>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    lines += [f'    <variable name="{_xml_escape(v)}"/>' for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.rows:
        lines.append("    <result>")
        for v, t in zip(result.variables, row):
            if t is not None:
                lines.append(f'      <binding name="{_xml_escape(v)}">{_xml_term(t)}</binding>')
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def rdf_text(triples: Iterable[ox.Triple], fmt: ox.RdfFormat) -> str:
    """Sorted triples in an RDF format, with only the prefixes they use (Turtle)."""
    items = sorted(set(triples), key=triple_key)
    prefixes = prefixes_used(items) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return rdf_bytes(items, fmt, prefixes).decode("utf-8")


def to_ttl(result: Result) -> str:
    return rdf_text(result.triples, ox.RdfFormat.TURTLE)


def to_nt(result: Result) -> str:
    return rdf_text(result.triples, ox.RdfFormat.N_TRIPLES)


def to_jsonld(result: Result) -> str:
    return rdf_text(result.triples, ox.RdfFormat.JSON_LD) + "\n"


WRITERS: dict[str, Callable[[Result], str]] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "xml": to_xml,
    "md": to_md,
    "ttl": to_ttl,
    "nt": to_nt,
    "jsonld": to_jsonld,
}
