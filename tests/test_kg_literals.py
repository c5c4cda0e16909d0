"""Ill-typed literals are told apart from well-typed ones, and found in the Turtle text."""

from __future__ import annotations

import pytest

from ip5graph.kg.literals import XSD, position_of, well_typed


@pytest.mark.parametrize(
    "lexical,dtype",
    [
        ("abc", "date"),
        ("1.5", "integer"),
        ("yesterday", "dateTime"),
        ("2021-02-29", "date"),
        ("2021-13-01", "date"),
        ("x", "boolean"),
        ("1e", "double"),
        ("--", "decimal"),
        ("", "integer"),
        ("-1", "nonNegativeInteger"),
        ("2021-01-01T25:00:00", "dateTime"),
        ("300", "byte"),
        ("21", "gYear"),
    ],
)
def test_ill_typed(lexical: str, dtype: str) -> None:
    assert not well_typed(lexical, XSD + dtype)


@pytest.mark.parametrize(
    "lexical,dtype",
    [
        ("2021-06-01", "date"),
        ("2020-02-29", "date"),
        ("42", "integer"),
        ("-3.5", "decimal"),
        ("1.5e3", "double"),
        ("INF", "double"),
        ("true", "boolean"),
        ("2021-06-01T09:30:00Z", "dateTime"),
        ("2021", "gYear"),
        ("2021-06", "gYearMonth"),
        (" 7 ", "integer"),
        ("anything", "string"),
        ("x", "http://example.org/own#type"),
    ],
)
def test_well_typed(lexical: str, dtype: str) -> None:
    assert well_typed(lexical, dtype if ":" in dtype else XSD + dtype)


def test_position_of_the_literal() -> None:
    text = '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<a> <b> "1.5"^^xsd:integer .\n'
    assert position_of(text, "1.5") == (2, 9)
