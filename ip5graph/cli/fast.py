"""The fast query path: a plain `ip5graph query ...` command line parsed without argparse."""

from __future__ import annotations

from pathlib import Path

from ip5graph.cli.query import cmd_query

TYPE_CHECKING = False  # typing and argparse cost milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import argparse

FAST_QUERY_OPTIONS = {
    "-e": "expr",
    "--expr": "expr",
    "-p": "param",
    "--param": "param",
    "-f": "format",
    "--format": "format",
    "--engine": "engine",
    "--width": "width",
    "--data": "data",
}


def fast_query_args(argv: list[str]) -> argparse.Namespace | None:
    """A plain `ip5graph query ...` command line, parsed without argparse; None for anything else.

    Why: importing argparse and building the parser is about a fifth of a cold query's time. Only
    the common options are handled here; help, mistakes and every other option go through
    argparse (so the two can only differ in speed, never in meaning).
    """
    if not argv or argv[0] != "query":
        return None
    from ip5graph.query.formats import FORMATS

    params: list[str] = []
    args: dict[str, object] = {
        "target": None,
        "expr": None,
        "param": params,
        "format": None,
        "engine": "oxigraph",
        "width": None,
        "data": None,
        "func": cmd_query,
    }
    i = 1
    while i < len(argv):
        token = argv[i]
        name, eq, attached = token.partition("=")
        if token in FAST_QUERY_OPTIONS and i + 1 < len(argv):
            key, value, i = FAST_QUERY_OPTIONS[token], argv[i + 1], i + 2
        elif token.startswith("--") and eq and name in FAST_QUERY_OPTIONS:
            key, value, i = FAST_QUERY_OPTIONS[name], attached, i + 1
        elif token.startswith("-") or args["target"] is not None:
            return None
        else:
            args["target"], i = token, i + 1
            continue
        if key == "param":
            params.append(value)
        elif key == "data":
            args["data"] = [*(args["data"] or []), Path(value)]  # type: ignore[misc]
        elif key == "width":
            if not value.isdigit():
                return None
            args["width"] = int(value)
        elif (key == "format" and value not in FORMATS) or (key == "engine" and value not in ("oxigraph", "rdflib")):
            return None
        elif key in ("expr", "format") and args[key] is not None:
            return None  # given twice: let argparse decide
        else:
            args[key] = value
    return Namespace(**args)  # type: ignore[return-value]


class Namespace:
    """Stands in for argparse.Namespace on the fast path."""

    def __init__(self, **kwargs: object) -> None:
        self.__dict__.update(kwargs)
