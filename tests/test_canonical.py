"""The canonical Turtle form: one text per graph, whatever order the triples came in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from ip5graph.rdf import canonical

MESSY = """
@prefix ex: <http://example.org/> .
@prefix ip5: <https://w3id.org/ip5graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ip5graph/id/person/b> rdfs:label "B \\"quoted\\"\\nline"@en ; a ip5:Thing .
<https://w3id.org/ip5graph/id/person/a> ip5:ordinal 3 ; ip5:acting false ; a ip5:Thing ;
    ip5:startDate "2021-06"^^xsd:gYearMonth ; rdfs:label "A"@en, "エー"@ja ;
    ip5:list ( 1 2 ) ; ip5:shape [ ip5:path ip5:x ; ip5:min 1 ] .
"""


def test_same_graph_in_any_order_gives_the_same_text() -> None:
    g1 = Graph().parse(data=MESSY, format="turtle")
    g2 = Graph()
    for t in sorted(g1, key=str, reverse=True):
        g2.add(t)
    assert canonical.serialize(g1) == canonical.serialize(g2)


def test_text_round_trips_and_is_stable() -> None:
    g = Graph().parse(data=MESSY, format="turtle")
    text = canonical.serialize(g)
    again = Graph().parse(data=text, format="turtle")
    assert isomorphic(g, again)
    assert canonical.serialize(again) == text


def test_layout_prefixes_subjects_predicates() -> None:
    text = canonical.serialize(Graph().parse(data=MESSY, format="turtle"))
    lines = text.splitlines()
    # only used prefixes, in the project's fixed order, then per-kind data prefixes
    prefixes = [line.split()[1] for line in lines if line.startswith("@prefix")]
    assert prefixes == ["ip5:", "rdfs:", "xsd:", "person:"]
    assert "ex:" not in text
    # subjects sorted, rdf:type first and labels next, one object per line
    assert text.index("person:a\n") < text.index("person:b\n")
    block_a = text[text.index("person:a\n") : text.index("person:b\n")]
    assert block_a.splitlines()[1].strip() == "a ip5:Thing ;"
    assert block_a.splitlines()[2].strip().startswith("rdfs:label")
    assert 'rdfs:label "A"@en,\n        "エー"@ja ;' in block_a
    # shorthand only where it is exact; blank nodes inline; lists as ( )
    assert "ip5:ordinal 3 ;" in block_a and "ip5:acting false ;" in block_a
    assert '"2021-06"^^xsd:gYearMonth' in block_a
    assert "ip5:list ( 1 2 ) ;" in block_a
    assert "ip5:shape [" in block_a
    assert 'rdfs:label "B \\"quoted\\"\\nline"@en .' in text


def test_check_and_rewrite(tmp_path: Path) -> None:
    messy = tmp_path / "messy.ttl"
    messy.write_text(MESSY, encoding="utf-8")
    assert canonical.non_canonical([messy]) == [messy]
    assert canonical.main([str(messy)]) == 1
    assert canonical.write_canonical(messy) is True
    assert canonical.non_canonical([messy]) == []
    assert canonical.write_canonical(messy) is False
    assert canonical.main([str(messy)]) == 0
    assert canonical.main([]) == 2


def test_a_shared_blank_node_has_no_canonical_form(tmp_path: Path) -> None:
    shared = tmp_path / "shared.ttl"
    shared.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p _:x .\nex:b ex:p _:x .\n", encoding="utf-8")
    assert canonical.non_canonical([shared]) == [shared]
    assert canonical.main(["--write", str(shared)]) == 1


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-m", "ip5graph.rdf.canonical", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root, timeout=120)


def test_command_line_help_and_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    shown = run_module("--help")
    assert shown.returncode == 0 and "usage: python -m ip5graph.rdf.canonical" in shown.stdout
    assert "--write" in shown.stdout and not shown.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://e/> .\nex:a ex:b "never closed .\n', encoding="utf-8")
    for args, code, start in (
        (["--bogus", "x.ttl"], 2, "canonical: unrecognized arguments: --bogus"),
        ([], 2, "canonical: the following arguments are required"),
        ([str(tmp_path / "missing.ttl")], 1, f"{tmp_path / 'missing.ttl'}: cannot read"),
        (["--write", str(broken)], 1, f"{broken}:2:"),  # file:line:column
    ):
        r = run_module(*args)
        assert r.returncode == code, args
        assert r.stderr.startswith(start) and r.stderr.count("\n") == 1, r.stderr
        assert "Traceback" not in r.stderr + r.stdout
    assert broken.read_text(encoding="utf-8").endswith('"never closed .\n')  # left as it was
