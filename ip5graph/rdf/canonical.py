"""Canonical Turtle: one deterministic text per graph, so that regenerated files diff cleanly.

The form: the project's prefixes in a fixed order (only those used), then one block per subject,
subjects sorted (ontology and scheme headers first), predicates sorted (rdf:type first, then
labels, then by prefixed name), objects sorted, one object per line. Blank nodes that are used
once are written inline (`[ ... ]`, lists as `( ... )`); one used more than once has no canonical
form (its label would depend on parse order). The data files have no blank nodes at all.

`python -m ip5graph.rdf.canonical [--write] FILE...` checks (or rewrites) files (--help says how).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ip5graph.files import atomic_write_text
from ip5graph.rdf.namespaces import PREFIXES, prefixes_for

_LOCAL_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_HEADER_TYPES: dict[Node, int] = {
    URIRef(PREFIXES["owl"] + "Ontology"): 0,
    URIRef(PREFIXES["skos"] + "ConceptScheme"): 1,
}
_PREDICATE_FIRST: list[Node] = [
    RDF.type,
    URIRef(PREFIXES["rdfs"] + "label"),
    URIRef(PREFIXES["skos"] + "prefLabel"),
    URIRef(PREFIXES["skos"] + "altLabel"),
    URIRef(PREFIXES["rdfs"] + "comment"),
]


class _Namer:
    """Turns IRIs into prefixed names where that is safe for every strict parser."""

    def __init__(self, graph: Graph) -> None:
        iris = (str(t) for t in _terms(graph) if isinstance(t, URIRef))
        self.prefixes: dict[str, str] = prefixes_for(iris, with_id=True)
        # longest namespace first, so `id/meeting/` wins over `id/`
        self._by_length = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()

    def iri(self, term: Node) -> str:
        text = str(term)
        for prefix, ns in self._by_length:
            if text.startswith(ns):
                local = text[len(ns) :]
                if _LOCAL_OK.match(local) and not local.endswith("-"):
                    self.used.add(prefix)
                    return f"{prefix}:{local}"
        return "<" + _escape_iri(text) + ">"

    def header(self) -> str:
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in self.prefixes.items() if p in self.used]
        return "\n".join(lines) + "\n" if lines else ""


def _terms(graph: Graph) -> Iterable[object]:
    for s, p, o in graph:
        yield s
        yield p
        yield o
        if isinstance(o, Literal) and o.datatype:
            yield o.datatype


def _escape_iri(text: str) -> str:
    bad = set('<>"{}|^`\\ ')
    return "".join(f"\\u{ord(c):04X}" if c in bad or ord(c) < 0x20 else c for c in text)


def _escape_string(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


class _Writer:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.namer = _Namer(graph)
        self.refcount: dict[Node, int] = {}
        for _, _, o in graph:
            if isinstance(o, BNode):
                self.refcount[o] = self.refcount.get(o, 0) + 1
        shared = sorted(str(b) for b, n in self.refcount.items() if n > 1)
        if shared:
            # a label would depend on parse order, so the text would not be canonical
            raise ValueError(f"canonical Turtle has no form for a blank node used more than once ({len(shared)} found)")

    # ---- terms
    def term(self, t: object, depth: int) -> str:
        if isinstance(t, URIRef):
            return self.namer.iri(t)
        if isinstance(t, Literal):
            return self.literal(t)
        if isinstance(t, BNode):  # used exactly once: written where it is used
            items = self._list_items(t)
            if items is not None:
                return "( " + " ".join(self.term(i, depth + 1) for i in items) + " )" if items else "()"
            return self.inline(t, depth + 1)
        raise TypeError(f"cannot write {t!r}")

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        if lit.language:
            return f'"{_escape_string(lex)}"@{lit.language}'
        dt = lit.datatype
        if dt is None or dt == XSD.string:
            return f'"{_escape_string(lex)}"'
        if dt == XSD.integer and _INTEGER.match(lex):
            return lex
        if dt == XSD.boolean and lex in ("true", "false"):
            return lex
        return f'"{_escape_string(lex)}"^^{self.namer.iri(dt)}'

    def _list_items(self, b: BNode) -> list[Node | None] | None:
        preds = set(self.g.predicates(b))
        if preds != {RDF.first, RDF.rest}:
            return None
        items: list[Node | None] = []
        node: Node | None = b
        seen = set()
        while node != RDF.nil:
            if not isinstance(node, BNode) or node in seen:
                return None
            seen.add(node)
            if node != b and (self.refcount.get(node, 0) != 1 or set(self.g.predicates(node)) != {RDF.first, RDF.rest}):
                return None
            items.append(self.g.value(node, RDF.first))
            node = self.g.value(node, RDF.rest)
        return items

    # ---- blocks
    def _predicate_key(self, p: Node) -> tuple[int, str]:
        if p in _PREDICATE_FIRST:
            return (_PREDICATE_FIRST.index(p), "")
        return (len(_PREDICATE_FIRST), self.namer.iri(p))

    def body(self, s: Node, depth: int) -> list[str]:
        preds = sorted(set(self.g.predicates(s)), key=self._predicate_key)
        indent = "    " * depth
        parts = []
        for p in preds:
            objs = sorted(self.term(o, depth) for o in self.g.objects(s, p))
            pname = "a" if p == RDF.type else self.namer.iri(p)
            inline_blocks = any(o.startswith("[") for o in objs)
            joined = (", " if inline_blocks else ",\n" + indent + "    ").join(objs)
            parts.append(f"{indent}{pname} {joined}")
        return parts

    def inline(self, b: BNode, depth: int) -> str:
        parts = self.body(b, depth)
        closing = "    " * (depth - 1)
        return "[\n" + " ;\n".join(parts) + "\n" + closing + "]"

    def subject_key(self, s: Node) -> tuple[int, str]:
        rank = min((_HEADER_TYPES.get(t, 9) for t in self.g.objects(s, RDF.type)), default=9)
        return (rank, str(s) if not isinstance(s, BNode) else "~" + self.inline(s, 1))

    def write(self) -> str:
        subjects = set(self.g.subjects())
        top = [s for s in subjects if not (isinstance(s, BNode) and self.refcount.get(s, 0) == 1)]
        blocks = []
        for s in sorted(top, key=self.subject_key):
            if isinstance(s, BNode) and self.refcount.get(s, 0) == 0:
                blocks.append(self.inline(s, 1) + " .")
                continue
            head = self.namer.iri(s)
            parts = self.body(s, 1)
            blocks.append(head + "\n" + " ;\n".join(parts) + " .")
        text = "\n\n".join(blocks) + "\n" if blocks else ""
        header = self.namer.header()
        return header + ("\n" if header and text else "") + text


def serialize(graph: Graph) -> str:
    """The canonical Turtle text of a graph."""
    return _Writer(graph).write()


def canonical_text(path: Path) -> str:
    """Parse a Turtle file and return its canonical form."""
    g = Graph()
    g.parse(path, format="turtle")
    return serialize(g)


def is_canonical(path: Path) -> bool:
    """Whether a file's text is its canonical form (a file that has none is not)."""
    try:
        return path.read_text(encoding="utf-8") == canonical_text(path)
    except ValueError:
        return False


def non_canonical(paths: Iterable[Path]) -> list[Path]:
    """The files among `paths` whose text is not their canonical form."""
    return [p for p in paths if not is_canonical(p)]


def write_canonical(path: Path) -> bool:
    """Rewrite a file in canonical form (atomically); True when it changed."""
    text = canonical_text(path)
    if path.read_text(encoding="utf-8") == text:
        return False
    atomic_write_text(path, text)
    return True


def main(argv: list[str] | None = None) -> int:
    """The command line: check files (exit 1 when one is not canonical) or rewrite them with --write.
    Help on --help; a usage, read or Turtle error is one line (file:line:column), never a traceback."""
    from ip5graph.cli.common import parser_class
    from ip5graph.errors import Ip5GraphError
    from ip5graph.kg.load import triples
    from ip5graph.kg.snapshot import read_file

    p = parser_class()(
        prog="python -m ip5graph.rdf.canonical",
        description="Check that Turtle files are in the project's canonical form (exit 1 if one is not), "
        "or rewrite them into it.",
    )
    p.add_argument("--write", action="store_true", help="rewrite each file into canonical form (atomically)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.ttl", help="Turtle files")
    try:
        args = p.parse_args(argv)
    except Ip5GraphError as e:
        print(f"canonical: {e}", file=sys.stderr)
        return 2
    try:
        for f in args.files:
            triples(f, read_file(f))  # a file that cannot be read or parsed: one line, file:line:column
    except Ip5GraphError as e:
        print(e, file=sys.stderr)
        return 1
    if not args.write:
        bad = non_canonical(args.files)
        for f in bad:
            print(f"{f}: not in canonical form (run python -m ip5graph.rdf.canonical --write {f})", file=sys.stderr)
        return 1 if bad else 0
    for f in args.files:
        try:
            if write_canonical(f):
                print(f"rewrote {f}")
        except ValueError as e:
            print(f"{f}: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
