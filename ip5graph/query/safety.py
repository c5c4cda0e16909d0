"""The safety check every user query passes before an engine sees it, and the text the engine gets.

Why the engine gets our text and not the user's: a checker that reads the query one way while the
engine reads it another can be spelled around (a long string ending in an escaped quote, a carriage
return ending a comment, `\\u0053ERVICE`). So the query is read once, by SPARQL 1.1's own rules
(codepoint escapes first, then the grammar's terminals), and what the engines run is rebuilt from
that reading: comments dropped, every string rewritten in one plain form, no escape sequence left
for a second reading. The engine can then only see the tokens this module judged. Oxigraph's
parser also reads a keyword at the start of a longer name (`SERVICE:x` is SERVICE then `:x`), so a
name starting with SERVICE, FROM or LOAD is refused as well.

Bounds: the query's size and the nesting of its brackets are limited here, before any engine
recurses over them (deep nesting overflows the engines' stacks).
"""

from __future__ import annotations

import re

from ip5graph.errors import QueryError, UnsafeQueryError

# The one graph a query may name in FROM: the graph ip5graph loads (its default graph).
LOADED_GRAPH = "https://w3id.org/ip5graph/graph/all"
# the largest query text accepted, in characters
MAX_QUERY_CHARS = 256 * 1024
# the deepest nesting of {}, () and [] accepted (rdflib's parser gives up near 25 parentheses)
MAX_DEPTH = 48
# the most terms (tokens) accepted: Oxigraph's algebra nests one level per BIND, FILTER, UNION, `!` or
# triple pattern, and overflows its stack near 3,000 BINDs or 10,000 `!` (measured, 0.5.13)
MAX_TOKENS = 4000

_UPDATE_WORDS = {"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "LOAD"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_OPEN = {"{": "}", "(": ")", "[": "]"}

_UNICODE_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_ECHAR = r"""\\[tbnrf\\"']"""


def _source(base: str, extra: str) -> str:
    """SPARQL 1.1 terminals (section 19.8), longest alternatives first; WS is only space, tab, CR, LF.

    `base` is PN_CHARS_BASE and `extra` the other PN_CHARS beyond ASCII: the full classes cost
    ~30 ms to compile, so ASCII-only queries (nearly all) use a pattern without them.
    """
    u = base + "_"
    chars = u + r"\-0-9" + extra
    return (
        r"(?P<space>[ \t\r\n]+)"
        r"|(?P<comment>\#[^\r\n]*)"
        rf'|(?P<long>"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""'
        rf"|'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*''')"
        rf'|(?P<string>"(?:[^"\\\n\r]|{_ECHAR})*"|\'(?:[^\'\\\n\r]|{_ECHAR})*\')'
        r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
        rf"|(?P<var>[?$][{u}0-9][{u}0-9{extra}]*)"
        rf"|(?P<bnode>_:[{u}0-9](?:[{chars}.]*[{chars}])?)"
        r"|(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
        rf"|(?P<pname>(?:[{base}](?:[{chars}.]*[{chars}])?)?:"
        rf"(?:(?:[{u}:0-9]|{_PLX})(?:(?:[{chars}.:]|{_PLX})*(?:[{chars}:]|{_PLX}))?)?)"
        r"|(?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?)"
        r"|(?P<word>[A-Za-z][A-Za-z0-9_]*)"
        r"|(?P<other>\^\^|&&|\|\||!=|<=|>=|[\s\S])"
    )


_patterns: dict[bool, re.Pattern[str]] = {}
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token:
    """One terminal: its kind, its text (after codepoint escapes) and where it starts."""

    __slots__ = ("kind", "value", "start")

    def __init__(self, kind: str, value: str, start: int) -> None:
        self.kind = kind
        self.value = value
        self.start = start

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.value!r}, {self.start})"


class Checked:
    """A query that passed: the text engines run, its form, and its tokens (offsets into `text`)."""

    __slots__ = ("text", "form", "tokens")

    def __init__(self, text: str, form: str, tokens: list[Token]) -> None:
        self.text = text
        self.form = form
        self.tokens = tokens


def _pattern(text: str) -> re.Pattern[str]:
    ascii_only = text.isascii()
    pattern = _patterns.get(ascii_only)
    if pattern is None:
        if ascii_only:
            pattern = re.compile(_source("A-Za-z", ""))
        else:
            pattern = re.compile(_source(_UNICODE_BASE, r"\u00b7\u0300-\u036f\u203f-\u2040"))
        _patterns[ascii_only] = pattern
    return pattern


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (from 1) of an offset; CR, LF and CRLF each end a line, as in SPARQL."""
    head = text[:offset]
    lines = re.split(r"\r\n|\r|\n", head)
    return len(lines), len(lines[-1]) + 1


def unescape_codepoints(text: str, source: str = "<query>") -> str:
    """Apply \\uXXXX and \\UXXXXXXXX everywhere, before parsing, as SPARQL 1.1 (19.2) says."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            line, col = position(text, m.start())
            raise QueryError(f"{source}:{line}:{col}: SPARQL syntax error: {m.group()} is not a character")
        return chr(code)

    return _CODEPOINT.sub(one, text)


def tokens(text: str) -> list[tuple[str, str, int]]:
    """The terminals of a query as (kind, text, offset), without white space and comments.

    Codepoint escapes are not applied here: give it text `check` returned (which has none left).
    """
    kinds = {"long": "string"}
    return [
        (kinds.get(m.lastgroup or "other", m.lastgroup or "other"), m.group(), m.start())
        for m in _pattern(text).finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def names_loaded_graph(text: str) -> bool:
    """True when the (already checked) query has FROM <the loaded graph>."""
    loaded = f"<{LOADED_GRAPH}>"
    return any(kind == "iri" and value == loaded for kind, value, _ in tokens(text))


def query_variables(text: str) -> list[str]:
    """Variable names in order of first appearance (outside strings, IRIs and comments)."""
    seen: dict[str, None] = {}
    for kind, value, _ in tokens(text):
        if kind == "var":
            seen.setdefault(value[1:], None)
    return list(seen)


def check_safe(text: str, source: str = "<query>") -> str:
    """The query form, or the error `check` raises (for callers that only need the verdict)."""
    return check(text, source).form


def syntax_error(source: str, message: str, line: int | None, col: int | None) -> QueryError:
    """The one-line error for a query the engine cannot parse."""
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    return QueryError(f"{source}:{line or 1}:{col or 1}: SPARQL syntax error: {message}")


def _string_value(tok: str) -> str:
    body = tok[3:-3] if tok[:3] in ('"""', "'''") else tok[1:-1]
    return re.sub(
        _ECHAR, lambda m: {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}.get(m.group()[1], m.group()[1]), body
    )


def _plain_string(tok: str, long: bool) -> str:
    """The string in one form: double quotes, only backslash and quote escaped (and CR/LF if short)."""
    value = _string_value(tok)
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    if long:
        return f'"""{out}"""'
    return '"' + out.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _refuse(source: str, text: str, start: int, why: str) -> UnsafeQueryError:
    line, col = position(text, start)
    return UnsafeQueryError(f"{source}:{line}:{col}: refused: {why}")


def _syntax(source: str, text: str, start: int, why: str) -> QueryError:
    line, col = position(text, start)
    return QueryError(f"{source}:{line}:{col}: SPARQL syntax error: {why}")


def check(text: str, source: str = "<query>") -> Checked:
    """Refuse what could fetch, write or overflow; return the text engines may run and its form.

    Refused: SERVICE, LOAD and updates; FROM and FROM NAMED of anything but the loaded graph;
    prefixed names Oxigraph would read as SERVICE, FROM or LOAD and a name; queries over MAX_QUERY_CHARS characters, over
    MAX_TOKENS terms or nested deeper than MAX_DEPTH brackets.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{source}:1:1: query too large: {len(text)} characters (the limit is {MAX_QUERY_CHARS})")
    text = unescape_codepoints(text, source)
    out: list[str] = []
    toks: list[Token] = []
    stack: list[str] = []
    form = None
    length = 0
    for m in _pattern(text).finditer(text):
        kind, value, start = m.lastgroup or "other", m.group(), m.start()
        depth = len(stack)  # where the previous term sat: nothing but space lies between them
        if kind == "comment":
            continue
        if kind == "space":
            out.append(value)
            length += len(value)
            continue
        if kind in ("long", "string"):
            value = _plain_string(value, kind == "long")
            if "\\u" in value or "\\U" in value:
                raise _syntax(
                    source,
                    text,
                    start,
                    "a backslash followed by u or U in a string is read "
                    "differently by SPARQL engines; write the character itself",
                )
            kind = "string"
        elif kind == "other":
            if value in _OPEN:
                stack.append(_OPEN[value])
                if len(stack) > MAX_DEPTH:
                    raise _syntax(source, text, start, f"nested too deeply (more than {MAX_DEPTH} levels of brackets)")
            elif stack and value == stack[-1]:
                stack.pop()
            elif value in ('"', "'"):
                raise _syntax(source, text, start, "unterminated string")
            elif value == "\\":
                raise _syntax(source, text, start, "a backslash outside a string")
        elif kind == "word":
            word = value.upper()
            if word.startswith("SERVICE"):
                raise _refuse(
                    source, text, start, "SERVICE would call a remote endpoint; ip5graph queries only the loaded graph"
                )
            if word in _UPDATE_WORDS:
                raise _refuse(
                    source, text, start, f"{word} is a SPARQL update (or fetches data); the graph is read-only"
                )
            if word.startswith(("FROM", "LOAD")) and word != "FROM":
                raise _refuse(source, text, start, f"{value} would be read as {word[:4]}")
            if form is None and word in _FORMS:
                form = word
        if toks and toks[-1].kind == "pname" and not (len(toks) > 1 and toks[-2].value.upper() == "PREFIX"):
            _check_name(toks[-1], value, depth, source, emitted_so_far="".join(out))
        toks.append(Token(kind, value, length))
        if len(toks) > MAX_TOKENS:
            raise _syntax(source, text, start, f"query too complex (more than {MAX_TOKENS} terms)")
        out.append(value)
        length += len(value)
    emitted = "".join(out)
    if toks and toks[-1].kind == "pname":
        _check_name(toks[-1], "", len(stack), source, emitted)
    _check_from(toks, emitted, source)
    if form is None:
        raise QueryError(f"{source}:1:1: SPARQL syntax error: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return Checked(emitted, form, toks)


def _check_name(name: Token, following: str, depth: int, source: str, emitted_so_far: str) -> None:
    """A prefixed name that Oxigraph's parser would read as a keyword and a name (`SERVICE:x {`).

    Its grammar tries a triple pattern first, so `service:x ?p ?o` is a name; only where a name
    cannot go on does it read SERVICE then `:x` as the endpoint: right before a `{`. FROM (and LOAD)
    are read so only outside all brackets, where the dataset clause is.
    """
    word = name.value.upper()
    if word.startswith("SERVICE") and following == "{":
        raise _refuse(
            source, emitted_so_far, name.start, f"{name.value} {{ would be read as SERVICE; rename the prefix"
        )
    if word.startswith(("FROM", "LOAD")) and depth == 0:
        raise _refuse(
            source, emitted_so_far, name.start, f"{name.value} would be read as {word[:4]}; rename the prefix"
        )


def _check_from(toks: list[Token], text: str, source: str) -> None:
    for i, tok in enumerate(toks):
        if tok.kind != "word" or tok.value.upper() != "FROM":
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "word" and nxt.value.upper() == "NAMED":
            raise _refuse(
                source,
                text,
                tok.start,
                f"FROM NAMED: only the loaded graph <{LOADED_GRAPH}> may be named, and it has no named graphs",
            )
        if nxt is None or nxt.kind != "iri" or nxt.value != f"<{LOADED_GRAPH}>":
            named = nxt.value[:80] if nxt is not None else "(nothing)"
            raise _refuse(
                source, text, tok.start, f"FROM {named} is not the loaded graph; only FROM <{LOADED_GRAPH}> is allowed"
            )
