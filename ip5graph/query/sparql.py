"""The query catalogue, parameter binding and the safety check every query passes first.

Why here and not in the engines: both engines must refuse the same queries with the same
message and bind parameters the same way, so this module does that once, without rdflib (the
CLI's query path must not import it). Parameters are never spliced into query text: they are
typed terms handed to the engine (pyoxigraph `substitutions`, rdflib `initBindings`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import QueryError, UnsafeQueryError, UsageError
from ip5graph.kg import resources
from ip5graph.rdf.namespaces import ID, PREFIXES

XSD = PREFIXES["xsd"]
# The one graph a query may name in FROM: the graph ip5graph loads (its default graph).
LOADED_GRAPH = "https://w3id.org/ip5graph/graph/all"
PARAM_TYPES = ("iri", "string", "lang", "date", "integer", "boolean")
_TYPE_HINT = {
    "iri": "an IRI, a prefixed name such as office:jpo, or kind/slug such as office/jpo",
    "string": "any text",
    "lang": "a language tag such as en, ja, zh or ko",
    "date": "a date such as 2021-06-01",
    "integer": "a whole number",
    "boolean": "true or false",
}


class _Record:
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
        return type(other) is type(self) and other._fields() == self._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(tuple(repr(v) for v in self._fields()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({inner})"


class Param(_Record):
    """One `# param: NAME TYPE description` header of a named query (with its `# example:`)."""

    __slots__ = ("name", "type", "description", "example")
    _defaults = {"example": None}
    name: str
    type: str
    description: str
    example: str | None


class NamedQuery(_Record):
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


class Prepared(_Record):
    """A query ready for an engine: safe text, typed bindings and where it came from."""

    __slots__ = ("text", "bindings", "source", "form")
    _defaults = {"source": "<query>", "form": "SELECT"}
    text: str
    bindings: dict[str, object]
    source: str
    form: str


# ---------------------------------------------------------------- catalogue

def _slug(name: str) -> str:
    """02-heads-meetings -> heads-meetings (a name without a number is its own slug)."""
    return name.split("-", 1)[1] if re.match(r"^\d+-", name) else name


def _names(name: str, query_name: str) -> bool:
    """Whether `name` names the query: its full name, its slug or its number (2 or 02)."""
    number = query_name.split("-", 1)[0]
    return name in (query_name, _slug(query_name)) or (name.isdigit() and number.isdigit()
                                                       and int(number) == int(name))


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


# ---------------------------------------------------------------- safety

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>[\w.\-]*:[\w.\-:%\\]*)
    |(?P<word>[A-Za-z_][\w\-]*)
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE,
)
_UPDATE_WORDS = {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def tokens(text: str) -> list[tuple[str, str, int]]:
    """The SPARQL tokens of `text` as (kind, text, offset), without comments and white space."""
    return [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("comment", "space")]


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def check_safe(text: str, source: str = "<query>") -> str:
    """Refuse SERVICE, LOAD, updates and FROM/FROM NAMED of other graphs; return the query form.

    A tokenizer that skips comments, strings and IRIs, so that `"SERVICE"` in a literal or
    `<http://x/load>` does not count, while `service` as a keyword in any case does.
    """
    toks = tokens(text)
    form = None
    for i, (kind, value, start) in enumerate(toks):
        if kind != "word":
            continue
        word = value.upper()
        where = "{}:{}:{}".format(source, *_position(text, start))
        if word == "SERVICE":
            raise UnsafeQueryError(f"{where}: refused: SERVICE would call a remote endpoint; "
                                   "ip5graph queries only the loaded graph")
        if word == "LOAD":
            raise UnsafeQueryError(f"{where}: refused: LOAD would fetch data from outside; "
                                   "ip5graph queries only the loaded graph")
        if word in _UPDATE_WORDS:
            raise UnsafeQueryError(f"{where}: refused: {word} is a SPARQL update; "
                                   "the graph is read-only")
        if word == "FROM":
            j = i + 1
            named = j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED"
            if named:
                j += 1
            iri = toks[j][1] if j < len(toks) else ""
            if named:
                raise UnsafeQueryError(f"{where}: refused: FROM NAMED {iri}: only the loaded graph "
                                       f"<{LOADED_GRAPH}> may be named, and it has no named graphs")
            if iri != f"<{LOADED_GRAPH}>":
                raise UnsafeQueryError(f"{where}: refused: FROM {iri} is not the loaded graph; "
                                       f"only FROM <{LOADED_GRAPH}> is allowed")
        if form is None and word in _FORMS:
            form = word
    if form is None:
        raise QueryError(f"{source}:1:1: SPARQL syntax error: not a SELECT, ASK, CONSTRUCT "
                         "or DESCRIBE query")
    return form


def names_loaded_graph(text: str) -> bool:
    """True when the (already checked) query has FROM <the loaded graph>."""
    return any(m.lastgroup == "iri" and m.group() == f"<{LOADED_GRAPH}>" for m in _TOKEN.finditer(text))


def query_variables(text: str) -> list[str]:
    """Variable names in order of first appearance (outside strings, IRIs and comments)."""
    seen: dict[str, None] = {}
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "var":
            seen.setdefault(m.group()[1:], None)
    return list(seen)


# ---------------------------------------------------------------- parameters

def _expand_iri(value: str) -> str | None:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^[a-z][a-z0-9+.\-]*://", value, re.I):
        iri = value
    elif ":" in value:
        prefix, local = value.split(":", 1)
        ns = PREFIXES.get(prefix) or (f"{ID}{prefix}/" if re.match(r"^[a-z][a-z0-9-]*$", prefix) else None)
        if ns is None:
            return None
        iri = ns + local
    elif re.match(r"^[a-z][a-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$", value):
        iri = ID + value
    else:
        return None
    if re.search(r'[\s<>"{}|^`\\]', iri):
        return None
    return iri


def convert(name: str, type_: str, value: object) -> object:
    """A parameter value as a pyoxigraph term of the declared type; UsageError when ill-typed."""
    import datetime

    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    bad = UsageError(f"parameter '{name}' must be {_TYPE_HINT[type_]}; got {value!r}")
    if type_ == "integer":
        if isinstance(value, bool):
            raise bad
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
        if isinstance(value, str) and re.match(r"^[+-]?\d+$", value.strip()):
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        raise bad
    if type_ == "date":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value.strip()):
            try:
                datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise bad from None
            return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + "date"))
        raise bad
    if type_ == "boolean":
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return ox.Literal(value.strip().lower(), datatype=ox.NamedNode(XSD + "boolean"))
        raise bad
    if not isinstance(value, str):
        raise bad
    if type_ == "iri":
        iri = _expand_iri(value)
        if iri is None:
            raise bad
        return ox.NamedNode(iri)
    if type_ == "lang":
        if not re.match(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$", value.strip()):
            raise bad
        return ox.Literal(value.strip().lower())
    return ox.Literal(value)


def guess_type(value: object) -> str:
    """The type of a parameter of an ad-hoc query, from the look of its value."""
    import datetime

    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, datetime.date):
        return "date"
    text = str(value).strip()
    if re.match(r"^[+-]?\d+$", text):
        return "integer"
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return "date"
    if text in ("true", "false"):
        return "boolean"
    if (text.startswith("<") and text.endswith(">")) or re.match(r"^https?://", text) \
            or (":" in text and text.split(":", 1)[0] in PREFIXES):
        return "iri" if _expand_iri(text) else "string"
    return "string"


def parse_param_args(items: list[str]) -> dict[str, str]:
    """KEY=VALUE strings from the command line as a dict."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not re.match(r"^[A-Za-z_]\w*$", key.strip()):
            raise UsageError(f"--param takes KEY=VALUE; got {item!r}")
        out[key.strip()] = value
    return out


# ---------------------------------------------------------------- preparing

def prepare_named(query: NamedQuery, params: Mapping[str, object]) -> Prepared:
    """Check the parameters against the headers and type them."""
    declared = {p.name: p for p in query.params}
    unknown = [k for k in params if k not in declared]
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise UsageError(f"query {query.name} has no parameter '{unknown[0]}'; it takes: {takes}")
    bindings = {}
    for p in query.params:
        if p.name not in params:
            value = p.example or p.type.upper()
            raise UsageError(f"query {query.name} needs a parameter: --param {p.name}={value} "
                             f"({p.description or _TYPE_HINT[p.type]})")
        bindings[p.name] = convert(p.name, p.type, params[p.name])
    form = check_safe(query.text, str(query.path))
    _no_describe_params(form, bindings)
    return Prepared(query.text, bindings, str(query.path), form)


def _no_describe_params(form: str, bindings: Mapping[str, object]) -> None:
    # neither engine binds parameters reliably in DESCRIBE (rdflib ignores them, Oxigraph drops
    # the rows): refuse rather than answer wrongly
    if form == "DESCRIBE" and bindings:
        raise UsageError("parameters cannot be bound in a DESCRIBE query; write it as a CONSTRUCT query")


def prepare_text(text: str, params: Mapping[str, object], source: str = "<query>") -> Prepared:
    """An ad-hoc query: each parameter must be a variable of the query; types are guessed."""
    form = check_safe(text, source)
    variables = set(query_variables(text))
    bindings = {}
    for name, value in params.items():
        if name not in variables:
            raise UsageError(f"parameter '{name}' is not a variable of the query (no ?{name} in it)")
        bindings[name] = convert(name, guess_type(value), value)
    _no_describe_params(form, bindings)
    return Prepared(text, bindings, source, form)


def resolve(target: str, params: Mapping[str, object], queries_folder: Path | None = None) -> Prepared:
    """A named query, a .rq file or SPARQL text, prepared with its parameters."""
    looks_like_sparql = "{" in target or any(c.isspace() for c in target.strip())
    if looks_like_sparql:
        return prepare_text(target, params)
    path = Path(target)
    if target.endswith(".rq") or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{target}: cannot read: {e.strerror or e}") from None
        named = parse_headers(path, text)
        if named.params:
            return prepare_named(named, params)
        return prepare_text(text, params, str(path))
    return prepare_named(lookup(target, queries_folder), params)


def syntax_error(source: str, message: str, line: int | None, col: int | None) -> QueryError:
    """The one-line error for a query the engine cannot parse."""
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    return QueryError(f"{source}:{line or 1}:{col or 1}: SPARQL syntax error: {message}")
