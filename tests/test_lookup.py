"""network.lookup: names looked up straight from the store (of_store, the cold `ip5graph query`
path) give exactly what the projected network gives (view --focus): the same IRI or the same error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ip5graph
from ip5graph.errors import UsageError
from ip5graph.kg import resources
from ip5graph.kg.graph import KnowledgeGraph
from ip5graph.network import lookup, navigation
from ip5graph.network.projection import project
from ip5graph.rdf.namespaces import ID

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "lookup_small.ttl"
ENGINES = ("oxigraph", "rdflib")
# names no entity's own label gives: short names, ambiguity, misspellings, nothing at all
EXTRA = [
    "Kim",
    "Lee",
    "APO",
    "Kasutany Toshihide",
    "Japan Patnt Office",
    "14th heads meeting",
    "heads meeting",
    "Alpa Patent Ofice",
    "office:gamma",
    "meeting:heads-2021",
    "role/chair",
    "Ghost Alpha",
    "Statement Alpha",
    "Tenure Alpha",
    "Source one about Alpha",
    "Alpha thing",
    "zzqxv",
    "nobody at all",
    "  ",
    ID,
    ID + "office/",
]


def source_of(kg: KnowledgeGraph) -> object:
    """The engine's own copy of the triples: the Oxigraph store or the rdflib graph."""
    return kg.engine.store if kg.engine_name == "oxigraph" else kg.to_rdflib()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def small_kgs() -> dict[str, KnowledgeGraph]:
    return {engine: ip5graph.open(data=[SMALL], engine=engine) for engine in ENGINES}


@pytest.fixture(scope="module", params=[f"{g}-{e}" for g in ("small", "bundled") for e in ENGINES])
def graph(request: pytest.FixtureRequest, small_kgs, bundled_kgs) -> object:
    which, engine = request.param.split("-")
    if which == "bundled" and not resources.data_files():
        pytest.skip("needs the bundled graph data")
    return source_of((small_kgs if which == "small" else bundled_kgs)[engine])


def names_to_try(entities: lookup.Entities, misspell_every: int) -> list[str]:
    """Every entity's IRI, slug, prefixed name and every label and alternative label in every
    language, as written, in other case and with extra spaces; every so often a misspelling."""
    names: list[str] = list(EXTRA)
    for i, (iri, e) in enumerate(sorted(entities.items())):
        slug = e.slug or ""
        kind, _, local = slug.partition("/")
        names += [iri, f" {iri}", slug, local, local.upper(), f"{kind}:{local}"]
        for n in e.names:
            names += [n, n.upper(), n.lower(), n.swapcase(), f"  {n}\t", "  ".join(n.split())]
            if i % misspell_every == 0 and len(n) > 4:
                names += [n[:2] + n[3:], n[::-1]]
    return list(dict.fromkeys(names))


def answer(find, name: str) -> str:
    try:
        return find(name)
    except UsageError as e:
        return f"error: {e}"


def test_the_store_gives_the_network_s_entries(graph) -> None:
    g = project(graph)
    entries = lookup.of_store(graph)
    assert entries == lookup.of_network(g)
    assert len(entries) == len(g) > 5


def test_every_name_gets_the_same_answer_from_the_store_and_the_network(graph) -> None:
    g = project(graph)
    entries = lookup.of_store(graph)
    names = names_to_try(lookup.of_network(g), misspell_every=1 if len(g) < 50 else 15)
    got = {n: answer(lambda x: lookup.find(entries, x), n) for n in names}
    want = {n: answer(lambda x: navigation.find(g, x), n) for n in names}
    assert got == want
    # the names reach every kind of answer, so the comparison covers each rule
    outcomes = list(got.values())
    assert sum(not a.startswith("error") for a in outcomes) > len(entries)
    assert any("is ambiguous: " in a for a in outcomes)
    assert any("; did you mean: " in a for a in outcomes)
    assert any(a.startswith("error: no entity called") and "did you mean" not in a for a in outcomes)


@pytest.mark.parametrize("engine", ENGINES)
def test_names_in_the_small_fixture(small_kgs, engine: str) -> None:
    kg = small_kgs[engine]
    for name, slug in [
        ("Alpha Patent Office", "office/alpha"),
        ("  alpha PATENT office ", "office/alpha"),
        ("アルファ特許庁", "office/alpha"),
        ("alpha office", "office/alpha"),  # an alternative label
        ("BPO", "office/beta"),  # an alternative label without a language
        ("beta patent office", "office/beta"),  # skos:prefLabel
        ("APO", "person/apo"),  # a slug wins over another entity's alternative label
        ("mixed case name", "person/apo"),
        ("Mixed Case Name", "person/apo"),  # by its words, whatever the spaces
        ("office/gamma", "office/gamma"),  # pointed at, no triples of its own: still an entity
        ("gamma", "office/gamma"),
        ("unlabelled", "person/unlabelled"),
        ("2nd alpha heads meeting", "meeting/second"),
        ("the 1st heads of office meeting", "meeting/first"),  # filler words left out
        (f"  {ID}office/beta ", "office/beta"),
    ]:
        assert kg.find_entity(name) == ID + slug, name
    for name, message in [
        ("Lee", "'Lee' is ambiguous: person/lee-one, person/lee-two; did you mean one of these?"),
        ("Alpa Patent Ofice", "no entity called 'Alpa Patent Ofice'; did you mean: office/alpha (Alpha Patent Office)"),
        ("Ghost Alpha", "no entity called 'Ghost Alpha'"),  # untyped: not an entity
        ("Statement Alpha", "no entity called 'Statement Alpha'"),
        ("Tenure Alpha", "no entity called 'Tenure Alpha'"),
        ("Alpha thing", "no entity called 'Alpha thing'"),  # an ontology term
        ("role/chair", "no entity called 'role/chair'"),
        ("urn:x-not-a-name", "no entity called 'urn:x-not-a-name'"),  # an IRI is not an alternative label
        ("unlabeled", "no entity called 'unlabeled'; did you mean: person/unlabelled (person/unlabelled)?"),
    ]:
        with pytest.raises(UsageError) as e:
            kg.find_entity(name)
        assert str(e.value).startswith(message), str(e.value)


def test_a_name_on_the_cold_path_needs_no_network() -> None:
    """find_entity on a freshly opened graph reads the store: networkx is never imported."""
    code = (
        "import sys, ip5graph\n"
        f"kg = ip5graph.open(data=[{str(SMALL)!r}])\n"
        "print(kg.find_entity('Alpha Patent Office'), 'networkx' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.split() == [ID + "office/alpha", "False"]
