"""Query parameters by name, through the CLI: labels in any language, alternative spellings, short
names such as "14th heads meeting", and a "did you mean" list when a name is ambiguous or unknown."""

from __future__ import annotations

import pytest
from qhelpers import run_cli

from ip5graph.kg import resources

pytestmark = pytest.mark.skipif(not resources.data_files(), reason="needs the bundled graph data")
ID = "https://w3id.org/ip5graph/id/"


def first_column(proc) -> set[str]:
    assert proc.returncode == 0, proc.stderr
    return {line.split(",")[0] for line in proc.stdout.splitlines()[1:]}


@pytest.mark.parametrize(
    "name",
    [
        "Kasutani Toshihide",
        pytest.param("糟谷敏秀", marks=pytest.mark.long),
        pytest.param("kasutani-toshihide", marks=pytest.mark.long),
        pytest.param("person/kasutani-toshihide", marks=pytest.mark.long),
        pytest.param("person:kasutani-toshihide", marks=pytest.mark.long),
    ],
)
def test_a_person_by_label_native_script_slug_or_iri(name: str) -> None:
    proc = run_cli("query", "06-person-profile", "--param", f"person={name}", "--format", "csv")
    assert first_column(proc) == {ID + "person/kasutani-toshihide"}


@pytest.mark.long
@pytest.mark.parametrize("name", ["Youngmin Kim", "김영민", "金榮敏"])
def test_an_alternative_spelling_finds_the_same_person(name: str) -> None:
    proc = run_cli("query", "06-person-profile", "--param", f"person={name}", "--format", "csv")
    assert first_column(proc) == {ID + "person/kim-young-min"}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("14th heads meeting", "heads-2021"),  # not the 14th deputy heads meeting
        pytest.param("14th deputy heads meeting", "deputy-heads-2015", marks=pytest.mark.long),
        pytest.param("Tianjin meeting", "heads-2025", marks=pytest.mark.long),
    ],
)
def test_a_meeting_by_a_short_name(name: str, slug: str) -> None:
    proc = run_cli("query", "03-meeting-participants", "--param", f"meeting={name}", "--format", "csv")
    assert first_column(proc) == {ID + "meeting/" + slug}


def test_an_ambiguous_name_lists_the_candidates() -> None:
    proc = run_cli("query", "06-person-profile", "--param", "person=Kim")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert "'Kim' is ambiguous: " in proc.stderr and "did you mean one of these?" in proc.stderr
    for slug in ("person/kim-young-min", "person/kim-yongrae", "person/kim-wan-ki"):
        assert slug in proc.stderr


def test_an_unknown_name_suggests_close_spellings() -> None:
    proc = run_cli("query", "06-person-profile", "--param", "person=Kasutany Toshihide")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "no entity called 'Kasutany Toshihide'; did you mean: person/kasutani-toshihide" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_python_api_takes_names_too() -> None:
    import ip5graph

    r = ip5graph.open().query("04-office-heads", office="Japan Patent Office")
    assert {row[0].value for row in r.rows} == {ID + "office/jpo"}
    assert len(r.rows) >= 10
