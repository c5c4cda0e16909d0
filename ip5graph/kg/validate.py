"""Validation: parse diagnostics, the SHACL data contract and the canonical form, in one report.

Why one report: a contributor fixing the data wants every problem at once, each pointing at a
file and line or at a shape and node by label, not a stack trace at the first one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ip5graph.kg import resources
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import parse_errors
from ip5graph.rdf.namespaces import PREFIXES, RDFS_LABEL
from ip5graph.rdf.terms import compact

SH = PREFIXES["sh"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with labels for the shape and the node."""

    shape: str
    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str  # Violation | Warning | Info
    component: str = ""  # the SHACL constraint, e.g. MinCount


@dataclass
class Report:
    files: list[Path]
    shapes: Path | None
    parse_errors: list[str] = field(default_factory=list)
    shacl_ran: bool = False
    violations: list[Violation] = field(default_factory=list)
    noncanonical: list[Path] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when everything parses, no shape is violated and every file is canonical."""
        return (
            not self.parse_errors
            and not self.noncanonical
            and not any(v.severity == "Violation" for v in self.violations)
        )

    def by_shape(self) -> dict[str, list[Violation]]:
        """The SHACL results grouped by the label of the shape that produced them."""
        groups: dict[str, list[Violation]] = {}
        for v in sorted(self.violations, key=lambda v: (v.shape, v.focus, v.path, v.component, v.value, v.message)):
            groups.setdefault(v.shape, []).append(v)
        return groups


def validate(inputs: Inputs, shapes: Path | None = None, check_canonical: bool = True) -> Report:
    """Check every input file and the shapes file (parsing, canonical form); run SHACL only when
    everything parses and a shapes file exists (by default the bundled ontology/shapes.ttl)."""
    shapes = shapes if shapes is not None else resources.shapes_file()
    report = Report(list(inputs.files), shapes)
    checked = [*inputs.files, *([shapes] if shapes else [])]
    report.parse_errors = parse_errors(checked)
    if report.parse_errors:
        return report
    if shapes is not None:
        report.shacl_ran = True
        report.violations = _shacl(inputs, shapes)
    if check_canonical:
        from ip5graph.rdf.canonical import non_canonical

        report.noncanonical = non_canonical(checked)
    return report


def _label(graph: object, node: object) -> str:
    from rdflib import Literal, URIRef

    from ip5graph.rdf.terms import pick_label

    found = [
        (str(o), o.language or "")
        for p in (RDFS_LABEL, SH + "name")
        for o in graph.objects(node, URIRef(p))  # type: ignore[attr-defined]
        if isinstance(o, Literal)
    ]
    return pick_label(found) or ""


def _show(term: object) -> str:
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def _shape_name(shapes: object, shape: object) -> str:
    """The shape's label; for an anonymous property shape, its node shape's label and the path."""
    from rdflib import BNode, URIRef

    if isinstance(shape, BNode):
        parents = list(shapes.subjects(URIRef(SH + "property"), shape))  # type: ignore[attr-defined]
        path = shapes.value(shape, URIRef(SH + "path"))  # type: ignore[attr-defined]
        own = _label(shapes, shape)
        if parents:
            parent = sorted(parents, key=str)[0]
            name = _label(shapes, parent) or _show(parent)
            return f"{name} / {own or _show(path)}"
        return own or f"anonymous shape on {_show(path)}"
    return _label(shapes, shape) or _show(shape)


def _shacl(inputs: Inputs, shapes_path: Path) -> list[Violation]:
    import pyshacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from ip5graph.kg.load import load_rdflib

    data = load_rdflib(inputs)
    shapes = Graph()
    shapes.parse(shapes_path, format="turtle")
    _conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    out = []
    for res in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus = results.value(res, URIRef(SH + "focusNode"))
        severity = results.value(res, URIRef(SH + "resultSeverity"))
        messages = sorted(str(m) for m in results.objects(res, URIRef(SH + "resultMessage")))
        out.append(
            Violation(
                shape=_shape_name(shapes, results.value(res, URIRef(SH + "sourceShape"))),
                focus=_show(focus),
                focus_label=_label(data, focus) if focus is not None else "",
                path=_show(results.value(res, URIRef(SH + "resultPath"))),
                value=_show(results.value(res, URIRef(SH + "value"))),
                message="; ".join(messages),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                component=str(results.value(res, URIRef(SH + "sourceConstraintComponent")) or "")
                .rsplit("#", 1)[-1]
                .removesuffix("ConstraintComponent"),
            )
        )
    return out
