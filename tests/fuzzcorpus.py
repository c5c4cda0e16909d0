"""A seeded, generated corpus of hostile and malformed inputs (issue 14), shared by the fuzz tests.

`remote_queries` spells SERVICE, LOAD, FROM, FROM NAMED, GRAPH and DESCRIBE of remote IRIs and
local files every way we know (escapes, long strings, CR in comments, case, nesting, subqueries,
SILENT, prefixed and BASE-relative IRIs, glued keywords); none may cause a request or a file read.
`benign_queries` holds the look-alikes that must still run (SERVICE in strings, IRIs, comments).
The other generators cover Turtle, parameters, paths, encodings and server requests. Same seed,
same corpus.
"""

from __future__ import annotations

import itertools
import random

SEED = 14
LOADED = "https://w3id.org/ip5graph/graph/all"


class Case:
    """One input: its kind, a short name, the payload and the expected outcome."""

    __slots__ = ("kind", "name", "payload", "expect")

    def __init__(self, kind: str, name: str, payload: object, expect: str) -> None:
        self.kind, self.name, self.payload, self.expect = kind, name, payload, expect

    def __repr__(self) -> str:
        return f"Case({self.kind}:{self.name})"


# keyword spellings: plain, case, codepoint escapes (applied before parsing by SPARQL 1.1 and rdflib)
_SERVICE = [
    "SERVICE",
    "service",
    "SeRvIcE",
    "\\u0053ERVICE",
    "\\u0073ervice",
    "\\U00000053ERVICE",
    "S\\u0045RVICE",
    "SERVIC\\u0045",
]
_FROM = ["FROM", "from", "\\u0046ROM", "fRoM"]
# decoys before the payload that fooled the old checker, and noise that must not matter
_DECOYS = [
    "",
    'BIND("""x\\"""" AS ?z0) ',
    "BIND('''x\\'''' AS ?z0) ",
    "# a comment\r ",
    "# c \\u000a ",
    'BIND("#" AS ?z0) ',
    "BIND(<http://example.org/#x> AS ?z0) ",
    'BIND("a\\\\" AS ?z0) ',
    'FILTER(REGEX("a", "\\"")) ',
    "#\r\n",
]
_TAILS = ["", ' #"', " #'''", ' # """']


def _iris(base: str, file_uri: str) -> list[tuple[str, str, str]]:
    """(prologue, IRI as written, label) for the same remote place spelled several ways."""
    host = base.rstrip("/")
    return [
        ("", f"<{base}r>", "abs"),
        (f"PREFIX ex: <{base}> ", "ex:r", "pname"),
        (f"PREFIX : <{base}> ", ":r", "empty-pname"),
        (f"BASE <{base}> ", "<r>", "base"),
        ("", f"<{host.replace(':', chr(92) + 'u003A', 1)}/r>", "escaped-iri"),
        ("", f"<{file_uri}>", "file"),
        (f"PREFIX f: <{file_uri.rsplit('/', 1)[0]}/> ", f"f:{file_uri.rsplit('/', 1)[1]}", "file-pname"),
    ]


def _wrap(pattern: str, how: str) -> str:
    return {
        "plain": pattern,
        "optional": f"OPTIONAL {{ {pattern} }}",
        "union": f"{{ ?a ?b ?c }} UNION {{ {pattern} }}",
        "subquery": f"{{ SELECT * WHERE {{ {pattern} }} }}",
        "exists": f"FILTER EXISTS {{ {pattern} }}",
        "nested": f"{{ {{ {{ {pattern} }} }} }}",
        "minus": f"?a ?b ?c MINUS {{ {pattern} }}",
    }[how]


def remote_queries(base: str, file_uri: str, seed: int = SEED) -> list[Case]:
    """At least 500 queries that name a remote IRI or a local file where an engine could fetch it."""
    rng = random.Random(seed)
    out: list[Case] = []
    iris = _iris(base, file_uri)
    wraps = ["plain", "optional", "union", "subquery", "exists", "nested", "minus"]
    for (pro, iri, label), kw, how in itertools.product(iris, _SERVICE, wraps):
        decoy, tail = rng.choice(_DECOYS), rng.choice(_TAILS)
        silent = rng.choice(["", " SILENT", " silent"])
        glue = rng.choice([" ", ""]) if iri.startswith("<") or label == "empty-pname" else " "
        pattern = f"{kw}{silent}{glue}{iri} {{ ?s ?p ?o }}"
        text = f"{pro}SELECT * WHERE {{ {decoy}{_wrap(pattern, how)} }}{tail}"
        out.append(Case("remote", f"service-{label}-{how}", text, "refused"))
    for (pro, iri, label), kw in itertools.product(iris, _FROM):
        decoy = rng.choice(_DECOYS)
        out.append(Case("remote", f"from-{label}", f"{pro}SELECT * {kw} {iri} WHERE {{ {decoy}?s ?p ?o }}", "refused"))
        out.append(
            Case(
                "remote",
                f"from-named-{label}",
                f"{pro}SELECT * {kw} NAMED {iri} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"from-loaded-then-{label}",
                f"{pro}SELECT * FROM <{LOADED}> {kw} {iri} WHERE {{ ?s ?p ?o }}",
                "refused",
            )
        )
    for (pro, iri, label), how in itertools.product(iris, wraps):
        # GRAPH and DESCRIBE of a remote IRI: allowed, but must only look in the loaded data
        out.append(
            Case(
                "remote",
                f"graph-{label}-{how}",
                f"{pro}SELECT * WHERE {{ {_wrap(f'GRAPH {iri} {{ ?s ?p ?o }}', how)} }}",
                "empty",
            )
        )
    for pro, iri, label in iris:
        out.append(Case("remote", f"describe-{label}", f"{pro}DESCRIBE {iri}", "empty"))
        out.append(Case("remote", f"load-{label}", f"{pro}LOAD {iri}", "refused"))
        out.append(Case("remote", f"load-into-{label}", f"{pro}LOAD SILENT {iri} INTO GRAPH <urn:x>", "refused"))
        out.append(
            Case(
                "remote",
                f"service-var-{label}",
                f"{pro}SELECT * WHERE {{ VALUES ?e {{ {iri} }} SERVICE ?e {{ ?s ?p ?o }} }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"service-glued-pname-{label}",
                f"PREFIX : <{base}> {pro}SELECT * WHERE {{ SERVICE:r {{ ?s ?p ?o }} }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"service-silent-glued-{label}",
                f"PREFIX : <{base}> {pro}SELECT * WHERE {{ SERVICE SILENT:r {{ ?s ?p ?o }} }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"from-glued-pname-{label}",
                f"PREFIX : <{base}> {pro}SELECT * FROM:r WHERE {{ ?s ?p ?o }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"from-glued-no-where-{label}",
                f"PREFIX : <{base}> {pro}SELECT * FROM:r {{ ?s ?p ?o }}",
                "refused",
            )
        )
        out.append(
            Case(
                "remote",
                f"construct-service-{label}",
                f"{pro}CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE {iri} {{ ?s ?p ?o }} }}",
                "refused",
            )
        )
        out.append(Case("remote", f"ask-service-{label}", f"{pro}ASK {{ SERVICE {iri} {{ ?s ?p ?o }} }}", "refused"))
    # the reproducer of issue 14, verbatim in shape
    out.append(
        Case(
            "remote",
            "issue-14-repro",
            f'SELECT * WHERE {{ BIND("""x\\"""" AS ?z) SERVICE <{base}x> {{ ?s ?p ?o }} }} #"',
            "refused",
        )
    )
    return out


def benign_queries() -> list[Case]:
    """Queries that look dangerous to a careless reader and must run (exit 0)."""
    q = [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/x> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND(<http://example.org/service/load/from> AS ?x) }",
        "SELECT ?x WHERE { BIND(1 AS ?x) } # SERVICE <http://127.0.0.1:9/>",
        "SELECT ?service WHERE { BIND(2 AS ?service) }",
        "PREFIX ex: <http://example.org/> SELECT ?x WHERE { BIND(ex:service AS ?x) }",
        f"SELECT (COUNT(*) AS ?n) FROM <{LOADED}> WHERE {{ ?s ?p ?o }}",
        'SELECT ?x WHERE { BIND("""a "quoted" SERVICE""" AS ?x) }',
        "SELECT ?x WHERE { BIND('it''s' AS ?x) }".replace("''", "\\'"),
        'SELECT ?x WHERE { BIND("\\u0053ERVICE" AS ?x) }',
        'SELECT ?x WHERE { BIND("line\\nbreak" AS ?x) }',
        "SELECT ?x WHERE { VALUES ?x { -5 +3 1.5e3 .5 } }",
        'SELECT ?x WHERE { BIND("x"@en-GB AS ?x) }',
        "ASK { FILTER(1 <= 2 && 2 >= 1 || 3 != 4) }",
        'SELECT ?x WHERE { BIND("é" AS ?x) }',
        "PREFIX service: <http://example.org/> SELECT ?x WHERE { BIND(service:load AS ?x) service:a ?p ?x }",
        "PREFIX from: <http://example.org/> SELECT ?x WHERE { VALUES ?x { from:a } }",
    ]
    return [Case("sparql", f"benign-{i}", t, "ok") for i, t in enumerate(q)]


def malformed_queries(seed: int = SEED) -> list[Case]:
    """Syntax errors, bounds and odd bytes: each must end with exit 1 and one line."""
    rng = random.Random(seed)
    out = [
        Case("sparql", "nested-groups-3000", "SELECT * WHERE " + "{" * 3000 + "}" * 3000, "error"),
        Case(
            "sparql", "nested-parens-5000", "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", "error"
        ),
        Case("sparql", "too-large", "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000, "error"),
        Case("sparql", "regex-paren", 'SELECT ?o WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "(")) }', "error-or-ok"),
        Case("sparql", "unterminated", 'SELECT * WHERE { BIND("abc AS ?x) }', "error"),
        Case("sparql", "bad-codepoint", 'SELECT * WHERE { BIND("\\uD800" AS ?x) }', "error"),
        Case("sparql", "update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "error"),
        Case("sparql", "blank", "  \n ", "usage"),
        Case("sparql", "nul", "SELECT * WHERE { ?s ?p \x00 }", "error"),
    ]
    atoms = [
        "{",
        "}",
        "(",
        ")",
        "SELECT",
        "*",
        "WHERE",
        "?x",
        '"',
        "'",
        "<",
        ">",
        "#",
        "\r",
        "\\",
        "\\u00",
        "FILTER",
        "BIND",
        "AS",
        ".",
        ";",
        ",",
        "[",
        "]",
        '"""',
        "^^",
        "@en",
        "_:b",
        "1.5e",
        "GRAPH",
    ]
    for i in range(120):
        text = "SELECT * WHERE { " + " ".join(rng.choice(atoms) for _ in range(rng.randint(1, 12)))
        out.append(Case("sparql", f"random-{i}", text, "error-or-ok"))
    return out


def turtle_inputs(seed: int = SEED) -> list[Case]:
    """Turtle documents: ill-typed literals, huge tokens, bad syntax, odd encodings."""
    rng = random.Random(seed)
    pro = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <http://example.org/> .\n"
    out = []
    for value, dtype in [
        ("abc", "date"),
        ("1.5", "integer"),
        ("yesterday", "dateTime"),
        ("x", "boolean"),
        ("1e", "double"),
        ("--", "decimal"),
        ("2021-13-01", "date"),
        ("", "integer"),
    ]:
        out.append(
            Case(
                "turtle",
                f"ill-typed-{dtype}-{value}",
                (pro + f'ex:a ex:p "{value}"^^xsd:{dtype} .\n').encode(),
                "data-error",
            )
        )
    bad = [
        "ex:a ex:p .",
        "ex:a ex:p ex:b",
        "ex:a <http://x y> ex:b .",
        'ex:a ex:p "unterminated .',
        "ex:a ex:p ex:b ,, .",
        "undeclared:a ex:p ex:b .",
        'ex:a ex:p "x"@123 .',
        "<a> <b> <c> .",
    ]
    for i, body in enumerate(bad):
        out.append(Case("turtle", f"bad-syntax-{i}", (pro + body + "\n").encode(), "data-error"))
    out.append(Case("turtle", "huge-token", (pro + 'ex:a ex:p "' + "x" * (17 << 20) + '" .\n').encode(), "ok"))
    out.append(Case("turtle", "bom", ("\ufeff" + pro + "ex:a ex:p ex:b .\n").encode(), "ok"))
    out.append(Case("turtle", "latin1", (pro + 'ex:a ex:p "caf\xe9" .\n').encode("latin-1"), "data-error"))
    out.append(Case("turtle", "utf16", (pro + "ex:a ex:p ex:b .\n").encode("utf-16"), "data-error"))
    out.append(Case("turtle", "nul", (pro + "ex:a ex:p ex:b .\x00\n").encode(), "data-error"))
    for i in range(40):
        tokens = [
            "ex:a",
            "ex:p",
            "ex:b",
            ".",
            ";",
            ",",
            '"x"',
            "1",
            "[",
            "]",
            "(",
            ")",
            "@en",
            "^^xsd:date",
            "<http://e/x>",
            "_:b",
            "a",
            "true",
            '"""',
            "\\",
        ]
        body = " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 10)))
        out.append(Case("turtle", f"random-{i}", (pro + body + "\n").encode(), "error-or-ok"))
    return out


def parameters(base: str) -> list[Case]:
    """--param values: injection attempts and ill-typed values; never a request, never a traceback."""
    values = [
        f'x" }} SERVICE <{base}p> {{ "',
        f"<{base}p>",
        f"{base}p> }} SERVICE <{base}q",
        "office:jpo",
        "office/jpo",
        "2021-02-30",
        "99999999999999999999999",
        "true",
        "",
        "\\u0053ERVICE",
        "\x00",
        "é",
        "a\nb",
        ">",
        "<",
        "ex:a b",
    ]
    out = []
    for i, v in enumerate(values):
        for name in ("office", "x"):
            out.append(Case("param", f"param-{name}-{i}", (name, v), "ok-or-usage"))
    return out


def paths() -> list[Case]:
    """Output paths and entity IRIs that try to leave the target folder."""
    iris = [
        "../escape",
        "../../etc/x",
        "/abs/olute",
        "a/../../b",
        "..",
        ".",
        "a\\..\\b",
        "%2e%2e/x",
        "a/./b",
        "con",
        "x" * 300,
        "a//b",
        "\u202e",
        "%00",
    ]
    return [Case("path", f"iri-{i}", s, "inside") for i, s in enumerate(iris)]


def encodings() -> list[Case]:
    """.rq files in odd encodings."""
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1\n"
    return [
        Case("encoding", "rq-latin1", ("# é\n" + q).encode("latin-1"), "error"),
        Case("encoding", "rq-utf16", q.encode("utf-16"), "error"),
        Case("encoding", "rq-bom", ("\ufeff" + q).encode(), "ok"),
        Case("encoding", "rq-nul", q.encode() + b"\x00", "error"),
        Case("encoding", "rq-crlf", q.replace("\n", "\r\n").encode(), "ok"),
    ]


def server_requests(base: str, seed: int = SEED) -> list[Case]:
    """HTTP requests to `ip5graph serve`: (method, path, headers, body) with the expected status class."""
    from urllib.parse import quote

    out = []
    for i, c in enumerate(remote_queries(base, "file:///nonexistent", seed)[::9]):
        text, want = str(c.payload), "4xx" if c.expect == "refused" else "2xx"
        out.append(Case("server", f"get-{i}", ("GET", "/query?query=" + quote(text), {}, b""), want))
        out.append(
            Case(
                "server",
                f"post-{i}",
                ("POST", "/query", {"Content-Type": "application/sparql-query"}, text.encode()),
                want,
            )
        )
        out.append(
            Case(
                "server",
                f"form-{i}",
                (
                    "POST",
                    "/query",
                    {"Content-Type": "application/x-www-form-urlencoded"},
                    ("query=" + quote(text)).encode(),
                ),
                want,
            )
        )
    nested = "SELECT * WHERE " + "{" * 20000 + "}" * 20000
    out += [
        Case(
            "server", "nested", ("POST", "/query", {"Content-Type": "application/sparql-query"}, nested.encode()), "4xx"
        ),
        Case(
            "server",
            "update",
            (
                "POST",
                "/update",
                {"Content-Type": "application/sparql-update"},
                b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            ),
            "4xx",
        ),
        Case(
            "server", "store-put", ("PUT", "/store?default", {"Content-Type": "text/turtle"}, b"<a> <b> <c> ."), "4xx"
        ),
        Case("server", "ok", ("GET", "/query?query=" + quote("ASK { }"), {}, b""), "2xx"),
    ]
    return out


def everything(base: str, file_uri: str) -> list[Case]:
    return (
        remote_queries(base, file_uri)
        + benign_queries()
        + malformed_queries()
        + turtle_inputs()
        + parameters(base)
        + paths()
        + encodings()
        + server_requests(base)
    )
