"""The remote engine: the same prepared queries, run on a SPARQL 1.1 endpoint over HTTP.

Parameters cannot travel as typed bindings over the protocol, so they go into a VALUES block
(bind_text); answers come back in the SPARQL results formats and are parsed by pyoxigraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ip5graph.errors import QueryError, UsageError
from ip5graph.query import parameters, safety
from ip5graph.query.results import Result, labelled
from ip5graph.rdf.namespaces import RDFS_LABEL
from ip5graph.serve.client import GRAPH_ACCEPT, SELECT_ACCEPT, EndpointError, Remote, Response, one_line, post_query

_LABEL_BATCH = 200
# ---------------------------------------------------------------- queries against an endpoint


def _outer_group(tokens: list[tuple[str, str, int]]) -> int | None:
    """The text offset just after the '{' that opens the query's outermost WHERE group.

    That is the '{' after a top-level WHERE keyword; without one (`SELECT ?x { ... }`,
    `ASK { ... }`), the first top-level '{'. A CONSTRUCT template always has WHERE after it.
    """
    depth = 0
    first = None
    after_where = False
    for kind, value, start in tokens:
        if kind == "word" and depth == 0 and value.upper() == "WHERE":
            after_where = True
        elif kind == "other" and value == "{":
            if depth == 0:
                if after_where:
                    return start + 1
                if first is None:
                    first = start + 1
            depth += 1
        elif kind == "other" and value == "}":
            depth -= 1
    return None if after_where else first  # a top-level WHERE without a group: malformed


def bind_text(text: str, bindings: Mapping[str, object], source: str = "<query>") -> str:
    """The query text with its parameters bound, for a server that takes text only.

    The parameters go into a VALUES block at the start of the outermost WHERE group, so they are
    bound before every pattern and FILTER runs, as a substitution would. The terms are written
    in N-Triples syntax by pyoxigraph, which escapes them: user text is never spliced into the
    query as SPARQL. A `FROM <the loaded graph>` clause is dropped: on a remote store the
    dataset is the endpoint's default graph (or --default-graph).
    """
    tokens = safety.tokens(text)
    loaded = f"<{safety.LOADED_GRAPH}>"
    cuts: list[tuple[int, int]] = []
    for i, (kind, value, start) in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if kind == "word" and value.upper() == "FROM" and nxt[1] == loaded:
            cuts.append((start, nxt[2] + len(nxt[1])))
    if bindings:
        at = _outer_group(tokens)
        if at is None:
            raise UsageError(f"{source}: parameters need a query with a WHERE clause")
        names = list(bindings)
        for name in names:
            term = bindings[name]
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise UsageError(f"parameter '{name}' must be an IRI or a literal")
        values = (
            " VALUES ("
            + " ".join("?" + n for n in names)
            + ") { ("
            + " ".join(str(bindings[n]) for n in names)
            + ") } "
        )
        text = text[:at] + values + text[at:]
        # the insertion is after every FROM clause, so the offsets of the cuts still hold
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


def parse_solutions(resp: Response, source: str) -> ox.QuerySolutions | ox.QueryBoolean:
    ctype = resp.content_type.split(";")[0].strip().lower()
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "application/xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }.get(ctype)
    if fmt is None:
        raise EndpointError(f"{source}: the endpoint answered with {ctype or 'no content type'}, not SPARQL results")
    try:
        return ox.parse_query_results(resp.body, format=fmt)
    except (SyntaxError, ValueError) as e:
        raise EndpointError(f"{source}: unreadable SPARQL results from the endpoint: {one_line(str(e))}") from None


def _parse_triples(resp: Response, source: str) -> list[ox.Triple]:
    ctype = resp.content_type.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        raise EndpointError(f"{source}: the endpoint answered with {ctype or 'no content type'}, not RDF")
    try:
        return [q.triple for q in ox.parse(resp.body, format=fmt)]
    except SyntaxError as e:
        raise EndpointError(f"{source}: unreadable RDF from the endpoint: {one_line(str(e))}") from None


class RemoteEngine:
    """Runs prepared queries on a SPARQL 1.1 endpoint; the same interface as engines.*Engine."""

    name = "remote"

    def __init__(self, remote_: Remote) -> None:
        self.remote = remote_

    def _post(self, text: str, accept: str) -> Response:
        return post_query(self.remote, text, accept, self.remote.default_graphs)

    def run(self, prepared: parameters.Prepared, *, with_labels: bool = True) -> Result:
        """The answer; `with_labels`: it carries its IRIs' display labels (looked up now, not while printing)."""
        result = self._run(prepared)
        return labelled(result, self.labels) if with_labels else result

    def _run(self, prepared: parameters.Prepared) -> Result:
        text = bind_text(prepared.text, prepared.bindings, prepared.source)
        graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
        try:
            resp = self._post(text, GRAPH_ACCEPT if graph_form else SELECT_ACCEPT)
        except EndpointError as e:
            raise QueryError(f"{prepared.source}: {e}") from None
        if graph_form:
            return Result(prepared.form, triples=_parse_triples(resp, prepared.source))
        answer = parse_solutions(resp, prepared.source)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ASK", boolean=bool(answer))
        variables = [v.value for v in answer.variables]
        rows = [tuple(sol[i] for i in range(len(variables))) for sol in answer]
        return Result("SELECT", variables, rows)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """rdfs:label of each IRI, picked as the local engines pick (English first)."""
        from ip5graph.rdf.terms import pick_label

        iris = sorted(set(iris))
        found: dict[str, list[tuple[str, str]]] = {}
        for i in range(0, len(iris), _LABEL_BATCH):
            batch = " ".join(str(ox.NamedNode(x)) for x in iris[i : i + _LABEL_BATCH])
            text = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {batch} }} ?s <{RDFS_LABEL}> ?l FILTER(isLiteral(?l)) }}"
            try:
                answer = parse_solutions(self._post(text, SELECT_ACCEPT), "labels")
            except EndpointError:
                return {}  # labels are a nicety for the table: show the IRIs instead
            if isinstance(answer, ox.QuerySolutions):
                for sol in answer:
                    s, lit = sol["s"], sol["l"]
                    if isinstance(s, ox.NamedNode) and isinstance(lit, ox.Literal):
                        found.setdefault(s.value, []).append((lit.value, lit.language or ""))
        out = {}
        for iri, lits in found.items():
            label = pick_label(lits)
            if label is not None:
                out[iri] = label
        return out
