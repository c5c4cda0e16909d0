"""Query results: rows of terms (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

Writing them out is formats.py's job; a Result only checks that the format suits it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pyoxigraph as ox

from ip5graph.errors import UsageError
from ip5graph.query.formats import GRAPH_FORMATS, SELECT_FORMATS, WRITERS, to_table
from ip5graph.rdf.terms import Term


def labelled(result: Result, lookup: Callable[[list[str]], dict[str, str]]) -> Result:
    """The result with the display labels of its IRIs, from `lookup` (an engine's labels)."""
    iris = result.iris()
    if iris:
        result.labels = lookup(iris)
    return result


class Result:
    """What a query returned: rows of terms (SELECT), a boolean (ASK) or triples (graph forms)."""

    def __init__(
        self,
        form: str,
        variables: list[str] | None = None,
        rows: Sequence[tuple[Term | None, ...]] | None = None,
        boolean: bool | None = None,
        triples: list[ox.Triple] | None = None,
        labels: dict[str, str] | None = None,
    ) -> None:
        self.form = form
        self.variables = list(variables or [])
        self.rows = list(rows or [])
        self.boolean = boolean
        self.triples = list(triples or [])
        # display labels of the IRIs (see iris()), looked up when the result was made: printing
        # a table never goes back to the engine (for a remote endpoint, an HTTP request)
        self.labels = dict(labels or {})

    def __repr__(self) -> str:
        return f"<Result {self.form} {len(self)} {'triples' if self.is_graph else 'rows'}>"

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        if self.is_graph:
            return len(self.triples)
        if self.form == "ASK":
            return 1
        return len(self.rows)

    def iris(self) -> list[str]:
        """The IRIs a table of this result shows, sorted: the ones whose labels it needs."""
        cells = [(t.subject, t.predicate, t.object) for t in self.triples] if self.is_graph else self.rows
        return sorted({t.value for row in cells for t in row if isinstance(t, ox.NamedNode)})

    def dicts(self) -> list[dict[str, Term]]:
        """Rows as {variable: term} dicts, leaving out unbound variables."""
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def serialize(self, fmt: str, width: int | None = None) -> str:
        """The result in one of FORMATS (`width` cuts the table to that many columns)."""
        allowed = GRAPH_FORMATS if self.is_graph else SELECT_FORMATS
        if fmt not in allowed:
            kind = "CONSTRUCT/DESCRIBE" if self.is_graph else f"{self.form}"
            raise UsageError(f"format '{fmt}' does not suit a {kind} result; use one of {', '.join(allowed)}")
        if fmt == "table":
            return to_table(self, width)
        return WRITERS[fmt](self)

    # one method a format, for the Python API; all go through serialize, which refuses a format
    # that does not suit the result (an empty CSV of a CONSTRUCT would be a silent wrong answer)
    def to_table(self, width: int | None = None) -> str:
        return self.serialize("table", width)

    def to_csv(self) -> str:
        return self.serialize("csv")

    def to_tsv(self) -> str:
        return self.serialize("tsv")

    def to_json(self) -> str:
        return self.serialize("json")

    def to_xml(self) -> str:
        return self.serialize("xml")

    def to_md(self) -> str:
        return self.serialize("md")

    def to_ttl(self) -> str:
        return self.serialize("ttl")

    def to_nt(self) -> str:
        return self.serialize("nt")

    def to_jsonld(self) -> str:
        return self.serialize("jsonld")
