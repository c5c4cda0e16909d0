"""Loading the Turtle files into a graph in memory (Oxigraph or rdflib), with one-line syntax errors
(file:line:column) and a parse check that reports every broken file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError
from ip5graph.kg.inputs import Inputs, read_file

TYPE_CHECKING = False  # typing itself costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import rdflib


def syntax_message(path: Path, err: SyntaxError) -> str:
    """file:line:column: message, from a pyoxigraph parse error."""
    msg = str(err.msg if hasattr(err, "msg") else err)
    if msg.startswith("Parser error at line"):
        # "Parser error at line 3 between columns 7 and 11: A dot is expected ..."
        msg = msg.split(": ", 1)[-1]
    line = err.lineno or 0
    col = err.offset or 0
    return f"{path}:{line}:{col}: {msg}"


def _check_syntax(path: Path, data: bytes) -> None:
    """Parse strictly with pyoxigraph, whose errors carry line and column; DataError if it fails."""
    try:
        try:
            for _ in ox.parse(data, format=ox.RdfFormat.TURTLE):
                pass
        except MemoryError:
            # a token over 16 MiB: the streaming parser's buffer limit; the bulk loader (which the
            # cached store uses, so `query` accepts the file) reads it whole
            ox.Store().bulk_load(data, format=ox.RdfFormat.TURTLE)
    except SyntaxError as e:
        raise DataError(syntax_message(path, e)) from None


def quiet_ill_typed() -> None:
    """rdflib logs a traceback for every ill-typed literal it meets ("1.5"^^xsd:integer); validate
    reports those as data errors, so that log stays quiet."""
    import logging

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def triples(path: Path, data: bytes) -> set[ox.Triple]:
    """The triples of one Turtle file (any token size); DataError (file:line:column) if it does not parse."""
    try:
        try:
            return {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)}
        except MemoryError:  # a token over 16 MiB (see _check_syntax)
            store = ox.Store()
            store.bulk_load(data, format=ox.RdfFormat.TURTLE)
            return {q.triple for q in store}
    except SyntaxError as e:
        raise DataError(syntax_message(path, e)) from None


def load_into(store: ox.Store, path: Path, data: bytes) -> None:
    """Add one Turtle file's bytes to a store; DataError (file:line:column) if they do not parse."""
    try:
        try:
            store.load(data, format=ox.RdfFormat.TURTLE)
        except MemoryError:  # a token over 16 MiB (see _check_syntax)
            store.bulk_load(data, format=ox.RdfFormat.TURTLE)
    except SyntaxError as e:
        raise DataError(syntax_message(path, e)) from None


def parse_errors(files: Iterable[Path]) -> list[str]:
    """file:line:column messages: one per file that does not parse as Turtle (strictly), and one per
    ill-typed literal ("1.5"^^xsd:integer) in the files that do."""
    errors = []
    for path in files:
        try:
            data = read_file(path)
            _check_syntax(path, data)
        except DataError as e:
            errors.append(str(e))
            continue
        errors.extend(ill_typed(path, data))
    return errors


def ill_typed(path: Path, data: bytes, limit: int = 20) -> list[str]:
    """file:line:column: one message per ill-typed literal (the first `limit` of a file)."""
    from ip5graph.kg.literals import position_of, well_typed

    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    for triple in triples(path, data):
        o = triple.object
        if not isinstance(o, ox.Literal) or (o.value, o.datatype.value) in seen:
            continue
        seen.add((o.value, o.datatype.value))
        if not well_typed(o.value, o.datatype.value):
            line, col = position_of(data.decode("utf-8", "replace"), o.value)
            found.append(f"{path}:{line}:{col}: ill-typed literal: {o.value!r} is not a valid <{o.datatype.value}>")
            if len(found) >= limit:
                break
    return found


def load_rdflib(inputs: Inputs) -> rdflib.Graph:
    """The same files in an in-memory rdflib Graph (for the rdflib engine, SHACL and exports)."""
    import rdflib

    quiet_ill_typed()
    graph = rdflib.Graph(bind_namespaces="core")
    for path in inputs.files:
        data = read_file(path)
        _check_syntax(path, data)  # pyoxigraph first: strict, and its errors carry line and column
        try:
            graph.parse(data=data.decode("utf-8"), format="turtle")
        except Exception as e:  # rdflib raises many kinds; the user needs the file and the reason
            raise DataError(f"{path}: {' '.join(str(e).split())}") from None
    return graph


def load_memory(inputs: Inputs) -> ox.Store:
    """An in-memory Oxigraph store of the inputs (no cache): for exports and tools."""
    store = ox.Store()
    for path in inputs.files:
        load_into(store, path, read_file(path))
    return store
