"""Parameters: typed terms from command-line or API values, and queries prepared with them.

Why here and not in the engines: both engines must refuse the same queries with the same
message and bind parameters the same way, so this module does that once, without rdflib (the
CLI's query path must not import it). Parameters are never spliced into query text: they are
typed terms handed to the engine (pyoxigraph `substitutions`, rdflib `initBindings`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import UsageError
from ip5graph.query.catalogue import NamedQuery, Record, lookup, parse_headers
from ip5graph.query.safety import check_safe, query_variables
from ip5graph.rdf.namespaces import ID, PREFIXES
from ip5graph.rdf.terms import Term

XSD = PREFIXES["xsd"]
_TYPE_HINT = {
    "iri": "an IRI, a prefixed name such as office:jpo, or kind/slug such as office/jpo",
    "string": "any text",
    "lang": "a language tag such as en, ja, zh or ko",
    "date": "a date such as 2021-06-01",
    "integer": "a whole number",
    "boolean": "true or false",
}


class Prepared(Record):
    """A query ready for an engine: safe text, typed bindings and where it came from."""

    __slots__ = ("text", "bindings", "source", "form")
    _defaults = {"source": "<query>", "form": "SELECT"}
    text: str
    bindings: dict[str, Term]
    source: str
    form: str


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


def convert(name: str, type_: str, value: object) -> Term:
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
    if (
        (text.startswith("<") and text.endswith(">"))
        or re.match(r"^https?://", text)
        or (":" in text and text.split(":", 1)[0] in PREFIXES)
    ):
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
    bindings: dict[str, Term] = {}
    for p in query.params:
        if p.name not in params:
            value = p.example or p.type.upper()
            raise UsageError(
                f"query {query.name} needs a parameter: --param {p.name}={value} "
                f"({p.description or _TYPE_HINT[p.type]})"
            )
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
    bindings: dict[str, Term] = {}
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
