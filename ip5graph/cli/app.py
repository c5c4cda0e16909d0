"""The command line: parses arguments, calls one library function, prints. Nothing else.

Each command is a pair of functions, `_add_NAME(subparsers)` and `cmd_NAME(args) -> int`, listed
in its group module's COMMANDS (query, data, network, site, serve); GROUPS below says which module
holds which command, so a command line imports only the module of its own command. Errors from
the library arrive as Ip5GraphError and leave as one line on stderr with the error's exit code
(1 failed check or query, 2 usage). The query path imports no rdflib, networkx or argparse.
"""

from __future__ import annotations

import os
import sys

from ip5graph.cli.common import PROG, formatter, parser_class
from ip5graph.errors import Ip5GraphError

TYPE_CHECKING = False  # typing and argparse cost milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import argparse

# command -> the module of ip5graph.cli that defines it, in the order `--help` lists them
GROUPS = {
    "queries": "query",
    "query": "query",
    "validate": "data",
    "export": "data",
    "stats": "data",
    "view": "network",
    "path": "network",
    "build": "site",
    "serve": "serve",
    "push": "serve",
}


def commands(only: str | None = None) -> list:
    """(name, add the subparser, run it) for every command, or just for `only`."""
    import importlib

    names = [only] if only is not None else list(GROUPS)
    found = []
    for module in dict.fromkeys(GROUPS[n] for n in names):
        found += [c for c in importlib.import_module(f"ip5graph.cli.{module}").COMMANDS if c[0] in names]
    return sorted(found, key=lambda c: list(GROUPS).index(c[0]))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with `only`, just that one command (the fast path).

    Why `only`: importing and building every command group costs a cold command milliseconds.
    """
    from ip5graph import __version__

    parser_cls = parser_class()
    parser = parser_cls(
        prog=PROG,
        formatter_class=formatter,
        description="Query and check the IP5 knowledge graph (ontology + graph data, bundled).",
        epilog="examples:\n"
        "  ip5graph queries\n"
        "  ip5graph query 02-heads-meetings\n"
        "  ip5graph validate\n"
        "Run `ip5graph COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_cls)
    for name, add, run in commands(only):
        add(sub)
        sub.choices[name].set_defaults(func=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `ip5graph` command; returns the exit code."""
    try:
        args_list = sys.argv[1:] if argv is None else list(argv)
        from ip5graph.cli.fast import fast_query_args

        fast_args = fast_query_args(args_list)
        if fast_args is not None:
            return fast_args.func(fast_args)
        first = next((a for a in args_list if not a.startswith("-")), None)
        fast = first if first in GROUPS else None
        parser = build_parser(only=fast)
        args = parser.parse_args(args_list)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        return args.func(args)
    except Ip5GraphError as e:
        sys.stderr.write(f"ip5graph: error: {e}\n")
        return e.exit_code
    except BrokenPipeError:
        # the reader went away (ip5graph ... | head): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        sys.stderr.write(f"ip5graph: error: {e.filename + ': ' if e.filename else ''}{e.strerror or e}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
