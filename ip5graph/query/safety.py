"""The safety check every query passes first: no SERVICE, LOAD, updates or other graphs, however spelled.

Why here and not in the engines: both engines (and a remote endpoint) must refuse the same queries
with the same message; a tokenizer that skips comments, strings and IRIs does it once.
"""

from __future__ import annotations

import re

from ip5graph.errors import QueryError, UnsafeQueryError

# The one graph a query may name in FROM: the graph ip5graph loads (its default graph).
LOADED_GRAPH = "https://w3id.org/ip5graph/graph/all"
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
    return [
        (m.lastgroup or "", m.group(), m.start())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("comment", "space")
    ]


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
            raise UnsafeQueryError(
                f"{where}: refused: SERVICE would call a remote endpoint; ip5graph queries only the loaded graph"
            )
        if word == "LOAD":
            raise UnsafeQueryError(
                f"{where}: refused: LOAD would fetch data from outside; ip5graph queries only the loaded graph"
            )
        if word in _UPDATE_WORDS:
            raise UnsafeQueryError(f"{where}: refused: {word} is a SPARQL update; the graph is read-only")
        if word == "FROM":
            j = i + 1
            named = j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "NAMED"
            if named:
                j += 1
            iri = toks[j][1] if j < len(toks) else ""
            if named:
                raise UnsafeQueryError(
                    f"{where}: refused: FROM NAMED {iri}: only the loaded graph "
                    f"<{LOADED_GRAPH}> may be named, and it has no named graphs"
                )
            if iri != f"<{LOADED_GRAPH}>":
                raise UnsafeQueryError(
                    f"{where}: refused: FROM {iri} is not the loaded graph; only FROM <{LOADED_GRAPH}> is allowed"
                )
        if form is None and word in _FORMS:
            form = word
    if form is None:
        raise QueryError(f"{source}:1:1: SPARQL syntax error: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
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


def syntax_error(source: str, message: str, line: int | None, col: int | None) -> QueryError:
    """The one-line error for a query the engine cannot parse."""
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    return QueryError(f"{source}:{line or 1}:{col or 1}: SPARQL syntax error: {message}")
