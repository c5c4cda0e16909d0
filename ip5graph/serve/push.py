"""Push the graph to a SPARQL store over the Graph Store Protocol: one named graph per source file
(or all in one), each replaced whole by one PUT and then counted back with a query.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError, UsageError
from ip5graph.query.engines.remote import parse_solutions
from ip5graph.rdf.terms import rdf_bytes
from ip5graph.serve.client import (
    CHUNK,
    SELECT_ACCEPT,
    EndpointError,
    Remote,
    check_iri,
    post_query,
    request,
    with_params,
)

GRAPH_BASE = "https://w3id.org/ip5graph/graph/"


class PushVerificationError(EndpointError):
    """A pushed graph does not hold the number of triples that was sent."""


def count_triples(remote_: Remote, graph: str) -> int:
    """How many triples the endpoint holds in one named graph."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
    answer = parse_solutions(post_query(remote_, text, SELECT_ACCEPT), f"count of <{graph}>")
    rows = list(answer) if isinstance(answer, ox.QuerySolutions) else []
    term = rows[0]["n"] if rows else None
    try:
        return int(term.value)  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        raise EndpointError(f"count of <{graph}>: the endpoint gave no number") from None


# ---------------------------------------------------------------- push (Graph Store Protocol)


@dataclass(frozen=True)
class GraphUpload:
    """One named graph to send: its IRI, the files it is made of, its N-Triples and their count."""

    iri: str
    files: tuple[Path, ...]
    body: bytes = field(repr=False)
    triples: int


@dataclass(frozen=True)
class Pushed:
    """A graph the endpoint now holds, with the count it reported back."""

    iri: str
    triples: int
    created: bool


def graph_iri(path: Path) -> str:
    """The named graph of one source file: https://w3id.org/ip5graph/graph/{file-stem}."""
    return GRAPH_BASE + urllib.parse.quote(path.stem, safe="-._~")


def _triples_of(path: Path) -> set[ox.Triple]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)}
    except SyntaxError as e:
        from ip5graph.kg.load import syntax_message

        raise DataError(syntax_message(path, e)) from None


def _upload(iri: str, files: Sequence[Path], triples: set[ox.Triple]) -> GraphUpload:
    body = rdf_bytes(sorted(triples, key=str), ox.RdfFormat.N_TRIPLES)
    return GraphUpload(iri, tuple(files), body, len(triples))


def plan_push(files: Sequence[Path], graph: str | None = None) -> list[GraphUpload]:
    """Parse the files and lay out what to send: one graph per file, or all in `graph`.

    Parsing here first means a broken file stops the push before anything is sent, and gives
    the exact number of distinct triples each remote graph must hold afterwards.
    """
    if not files:
        raise DataError("nothing to push: no input files")
    if graph is not None:
        check_iri(graph, "--graph")
        merged: set[ox.Triple] = set()
        for path in files:
            merged |= _triples_of(path)
        return [_upload(graph, files, merged)]
    seen: dict[str, Path] = {}
    uploads = []
    for path in files:
        iri = graph_iri(path)
        if iri in seen:
            raise UsageError(
                f"{seen[iri]} and {path} would both go to <{iri}>; rename one, "
                "or push everything into one graph with --graph IRI"
            )
        seen[iri] = path
        uploads.append(_upload(iri, [path], _triples_of(path)))
    return uploads


Progress = Callable[[int, int], None]


def _chunks(body: bytes, done: int, total: int, progress: Progress | None) -> Iterator[bytes]:
    view = memoryview(body)
    for i in range(0, len(body), CHUNK):
        chunk = view[i : i + CHUNK]
        yield bytes(chunk)
        if progress:
            progress(done + i + len(chunk), total)


def put_graph(
    remote_: Remote, upload: GraphUpload, progress: Progress | None = None, done: int = 0, total: int = 0
) -> bool:
    """Replace one remote graph with a single Graph Store PUT; True when the graph is new.

    One request carries the whole graph with its Content-Length, so a client that dies midway
    leaves a short body that the server rejects: the graph stays as it was. (A DELETE then a
    POST would leave it empty or half-loaded in between; that is never done here.)
    """
    if remote_.store_url is None:
        raise UsageError("pushing needs a Graph Store URL: give --endpoint or --store-url")
    url = with_params(remote_.store_url, [("graph", upload.iri)])
    resp = request(
        remote_,
        "PUT",
        url,
        _chunks(upload.body, done, total or len(upload.body), progress),
        {"Content-Type": "application/n-triples"},
        length=len(upload.body),
    )
    return resp.status == 201


def push(
    remote_: Remote,
    uploads: Sequence[GraphUpload],
    progress: Progress | None = None,
    on_graph: Callable[[Pushed], None] | None = None,
) -> list[Pushed]:
    """PUT each graph whole, then check its triple count with a SPARQL query.

    A mismatch raises PushVerificationError at once, naming the graph and both counts.
    """
    total = sum(len(u.body) for u in uploads)
    done = 0
    out = []
    for upload in uploads:
        created = put_graph(remote_, upload, progress, done, total)
        done += len(upload.body)
        got = count_triples(remote_, upload.iri)
        if got != upload.triples:
            raise PushVerificationError(f"<{upload.iri}>: sent {upload.triples} triples but the endpoint holds {got}")
        pushed = Pushed(upload.iri, got, created)
        out.append(pushed)
        if on_graph:
            on_graph(pushed)
    return out
