"""`validate`: parse diagnostics, SHACL results grouped by shape with labels, canonical form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from qhelpers import FIXTURES

from ip5graph.cli import main
from ip5graph.kg import resources
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.validate import validate


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(FIXTURES, d)
    return d


def test_fixtures_are_valid(data_dir: Path) -> None:
    report = validate(Inputs.default([data_dir]))
    assert report.shacl_ran and report.parse_errors == [] and report.violations == []
    assert report.noncanonical == []
    assert report.conforms


def test_shacl_violations_are_grouped_by_shape_with_labels(data_dir: Path) -> None:
    from rdflib import Graph, URIRef

    from ip5graph.rdf.canonical import serialize

    people = data_dir / "people.ttl"
    g = Graph()
    g.parse(people, format="turtle")
    # take away the sources of one person: the shapes require a source on every data node
    g.remove(
        (URIRef("https://w3id.org/ip5graph/id/person/drew-hirshfeld"), URIRef("http://purl.org/dc/terms/source"), None)
    )
    people.write_text(serialize(g), encoding="utf-8")
    broken = Inputs.default([data_dir])
    report = validate(broken, check_canonical=False)
    assert not report.conforms
    assert report.violations
    groups = report.by_shape()
    hits = [(shape, v) for shape, vs in groups.items() for v in vs if v.focus == "person:drew-hirshfeld"]
    assert hits, groups
    shape, v = hits[0]
    assert v.focus_label == "Drew Hirshfeld" and v.severity == "Violation"
    assert shape and not shape.startswith("_:"), "groups are named by the shape's label"


def test_a_missing_label_is_reported_under_a_named_shape(data_dir: Path) -> None:
    orgs = data_dir / "organizations.ttl"
    text = orgs.read_text(encoding="utf-8").replace('rdfs:label "IP5 Working Group 1: Classification"@en ;', "")
    orgs.write_text(text, encoding="utf-8")
    report = validate(Inputs.default([data_dir]), check_canonical=False)
    assert not report.conforms
    wg = [v for vs in report.by_shape().values() for v in vs if v.focus == "working-group:wg1"]
    assert wg and all(v.severity == "Violation" for v in wg)
    assert any("label" in (v.path + v.message).lower() for v in wg)


def test_parse_errors_stop_before_shacl(data_dir: Path) -> None:
    (data_dir / "zz.ttl").write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    report = validate(Inputs.default([data_dir]))
    assert not report.conforms and not report.shacl_ran
    assert len(report.parse_errors) == 1 and report.parse_errors[0].startswith(f"{data_dir / 'zz.ttl'}:1:")


def test_non_canonical_files_are_reported(data_dir: Path) -> None:
    f = data_dir / "sources.ttl"
    f.write_text(f.read_text(encoding="utf-8").replace("\n\n", "\n\n\n", 1), encoding="utf-8")
    report = validate(Inputs.default([data_dir]))
    assert report.noncanonical == [f]
    assert not report.conforms


def test_without_a_shapes_file_shacl_is_skipped(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "shapes_file", lambda: None)  # as before ontology/shapes.ttl existed
    report = validate(Inputs.default([data_dir]), shapes=None, check_canonical=False)
    assert not report.shacl_ran and report.shapes is None
    assert report.parse_errors == [] and report.conforms
    monkeypatch.undo()

    empty_shapes = tmp_path / "no-shapes.ttl"
    empty_shapes.write_text("", encoding="utf-8")
    report = validate(Inputs.default([data_dir]), shapes=empty_shapes, check_canonical=False)
    assert report.shacl_ran and report.conforms and report.violations == []


def test_a_non_canonical_shapes_file_is_reported(data_dir: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("<http://x/a>   <http://x/b> <http://x/c> .\n", encoding="utf-8")
    report = validate(Inputs.default([data_dir]), shapes=shapes)
    assert report.noncanonical == [shapes]


def test_cli_exit_codes(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--data", str(data_dir)]) == 0
    (data_dir / "zz.ttl").write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    assert main(["validate", "--data", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert f"{data_dir / 'zz.ttl'}:1:" in out and out.splitlines()[-1] == "NOT valid"
    assert main(["validate", "--shapes", str(data_dir / "nope.ttl")]) == 2
