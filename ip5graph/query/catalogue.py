"""The named queries: queries/NN-slug.rq files, their header lines, and finding one by name.

Why a small record class of our own: typing.NamedTuple and dataclasses cost milliseconds to
import, and the catalogue is on the cold `ip5graph query` path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ip5graph.errors import QueryError, UsageError
from ip5graph.kg import resources

PARAM_TYPES = ("iri", "string", "lang", "date", "integer", "boolean")


class Record:
    """A small immutable record (typing.NamedTuple and dataclasses cost milliseconds to import)."""

    __slots__: tuple[str, ...] = ()
    _defaults: dict[str, object] = {}

    def __init__(self, *args: object, **kwargs: object) -> None:
        values = dict(self._defaults)
        values.update(zip(self.__slots__, args))
        values.update(kwargs)
        for name in self.__slots__:
            if name not in values:
                raise TypeError(f"{type(self).__name__} needs {name}")
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and type(other) is type(self) and other._fields() == self._fields()

    def __hash__(self) -> int:
        return hash(tuple(repr(v) for v in self._fields()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({inner})"


class Param(Record):
    """One `# param: NAME TYPE description` header of a named query (with its `# example:`)."""

    __slots__ = ("name", "type", "description", "example")
    _defaults = {"example": None}
    name: str
    type: str
    description: str
    example: str | None


class NamedQuery(Record):
    """One queries/NN-slug.rq file: its name, headers and SPARQL text."""

    __slots__ = ("name", "path", "title", "description", "params", "text")
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    @property
    def slug(self) -> str:
        return _slug(self.name)

    def example_bindings(self) -> dict[str, str]:
        """The example value of each parameter, as written in the headers."""
        return {p.name: p.example for p in self.params if p.example is not None}


# ---------------------------------------------------------------- catalogue


def _slug(name: str) -> str:
    """02-heads-meetings -> heads-meetings (a name without a number is its own slug)."""
    return name.split("-", 1)[1] if re.match(r"^\d+-", name) else name


def _names(name: str, query_name: str) -> bool:
    """Whether `name` names the query: its full name, its slug or its number (2 or 02)."""
    number = query_name.split("-", 1)[0]
    return name in (query_name, _slug(query_name)) or (name.isdigit() and number.isdigit() and int(number) == int(name))


def parse_headers(path: Path, text: str) -> NamedQuery:
    """Read the `# title:`, `# description:`, `# param:` and `# example:` header lines."""
    title = ""
    description: list[str] = []
    params: list[Param] = []
    examples: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        m = re.match(r"#\s*(title|description|param|example)\s*:\s*(.*)$", stripped)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise QueryError(
                    f"{path}:{lineno}: a param header is `# param: NAME TYPE description`"
                    f" with TYPE one of {', '.join(PARAM_TYPES)}"
                )
            params.append(Param(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        else:
            name, sep, val = value.partition("=")
            if not sep:
                raise QueryError(f"{path}:{lineno}: an example header is `# example: NAME=VALUE`")
            examples[name.strip()] = val.strip()
    params = [Param(p.name, p.type, p.description, examples.get(p.name)) for p in params]
    return NamedQuery(path.stem, path, title or path.stem, " ".join(description), tuple(params), text)


def catalogue(folder: Path | None = None) -> list[NamedQuery]:
    """Every queries/*.rq, sorted by name."""
    folder = folder or resources.queries_dir()
    out = []
    for path in sorted(folder.glob("*.rq")):
        out.append(parse_headers(path, path.read_text(encoding="utf-8")))
    return out


def lookup(name: str, folder: Path | None = None) -> NamedQuery:
    """Like find, but reads only the one matching file (the cold query path reads no other)."""
    folder = folder or resources.queries_dir()
    try:
        stems = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".rq"))
    except OSError:
        stems = []
    for stem in stems:
        if _names(name, stem):
            path = folder / f"{stem}.rq"
            return parse_headers(path, path.read_text(encoding="utf-8"))
    return find(name, catalogue(folder))


def find(name: str, queries: list[NamedQuery] | None = None) -> NamedQuery:
    """A named query by its full name (02-heads-meetings), slug (heads-meetings) or number (2)."""
    queries = catalogue() if queries is None else queries
    for q in queries:
        if _names(name, q.name):
            return q
    import difflib

    names = [q.name for q in queries]
    by_slug = {q.slug: q.name for q in queries}
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    if not close:
        slugs = difflib.get_close_matches(name, list(by_slug), n=1, cutoff=0.5)
        close = [by_slug[s] for s in slugs]
    hint = f"; did you mean '{close[0]}'?" if close else "; `ip5graph queries` lists them"
    raise UsageError(f"unknown query '{name}'{hint}")
