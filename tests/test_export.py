"""`export`: every format parses back to the same graph; TriG has one named graph per source."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from qhelpers import FIXTURES

from ip5graph.cli import main
from ip5graph.kg.export import FORMATS, ONTOLOGY_GRAPH, export_text, triples_of
from ip5graph.kg.inputs import Inputs
from ip5graph.kg.load import load_memory

ID = "https://w3id.org/ip5graph/id/"


@pytest.fixture(scope="module")
def triples() -> list[ox.Triple]:
    return triples_of(load_memory(Inputs.default([FIXTURES])))


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml", "trig"])
def test_each_format_round_trips(triples: list[ox.Triple], fmt: str) -> None:
    data = export_text(triples, fmt)
    assert data == export_text(list(reversed(triples)), fmt)  # deterministic, whatever the input order
    back = {q.triple for q in ox.parse(data, format=FORMATS[fmt])}
    assert back == set(triples)


def test_trig_puts_triples_in_the_graph_of_their_source(triples: list[ox.Triple]) -> None:
    quads = list(ox.parse(export_text(triples, "trig"), format=ox.RdfFormat.TRIG))
    graphs: dict[str, set[str]] = {}
    for q in quads:
        graphs.setdefault(q.graph_name.value, set()).add(q.subject.value)
    assert f"{ID}meeting/heads-2021" in graphs[f"{ID}source/s00b"]
    # a conflict's claims each sit in their own source's graph
    assert f"{ID}claim/c2-1" in graphs[f"{ID}source/s40"] and f"{ID}claim/c2-1" not in graphs[f"{ID}source/s30"]
    # a source's own description is in its own graph
    assert f"{ID}source/s30" in graphs[f"{ID}source/s30"]
    # unsourced subjects (the ontology) go to the ontology graph
    assert "https://w3id.org/ip5graph/ontology#Meeting" in graphs[ONTOLOGY_GRAPH]
    assert f"{ID}meeting/heads-2021" not in graphs[ONTOLOGY_GRAPH]
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)


def test_cli_export_to_file_and_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture) -> None:
    out = tmp_path / "graph.trig"
    assert main(["export", "--format", "trig", "-o", str(out), "--data", str(FIXTURES)]) == 0
    assert out.read_bytes().count(b"{") == 9  # 8 sources (2 of them the statistics fixture's) + the ontology graph
    assert main(["export", "--format", "ttl", "--data", str(FIXTURES)]) == 0
    text = capsysbinary.readouterr().out.decode()
    assert "@prefix ip5: <https://w3id.org/ip5graph/ontology#>" in text
    assert len({q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)}) > 800
