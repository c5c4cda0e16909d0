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
        for _ in ox.parse(data, format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as e:
        raise DataError(syntax_message(path, e)) from None


def parse_errors(files: Iterable[Path]) -> list[str]:
    """One file:line:column message per file that does not parse as Turtle (strictly)."""
    errors = []
    for path in files:
        try:
            _check_syntax(path, read_file(path))
        except DataError as e:
            errors.append(str(e))
    return errors


def load_rdflib(inputs: Inputs) -> rdflib.Graph:
    """The same files in an in-memory rdflib Graph (for the rdflib engine, SHACL and exports)."""
    import rdflib

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
        try:
            store.load(read_file(path), format=ox.RdfFormat.TURTLE)
        except SyntaxError as e:
            raise DataError(syntax_message(path, e)) from None
    return store
