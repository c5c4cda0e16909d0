"""What every command group shares: the parser class, help formatting, the --data option, output.

Public so the command modules can share them without reaching into each other.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ip5graph.errors import UsageError

PROG = "ip5graph"

TYPE_CHECKING = False  # typing and argparse cost milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import argparse

_PARSER_CLASS: type | None = None


def parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser, except that a usage error is one line (exit 2), not usage plus error.

    Made on first use: argparse is not imported at all on the fast query path.
    """
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
        import argparse

        class _Parser(argparse.ArgumentParser):
            def error(self, message: str) -> None:  # type: ignore[override]
                raise UsageError(f"{message} (see {self.prog} --help)")

        _PARSER_CLASS = _Parser
    return _PARSER_CLASS


def formatter(prog: str) -> argparse.HelpFormatter:
    import argparse

    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        action="append",
        type=Path,
        metavar="DIR",
        help="Turtle folder or file to use instead of the bundled graph data (repeatable)",
    )


def out(text: str) -> None:
    sys.stdout.write(text)


def out_bytes(data: bytes) -> None:
    """Bytes as they are (exports): flush the text layer first so nothing is reordered."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


class ProgressBar:
    """The one progress bar: a line on stderr, `[###...] 42% done/total`, redrawn at most every 1/10 s
    (and always at the end). `scale` and `unit` show amounts (bytes as MB); a label follows."""

    def __init__(self, *, scale: float = 1.0, unit: str = "", end: str = "") -> None:
        self.scale, self.unit, self.end = scale, unit, end
        self.last = 0.0

    def __call__(self, done: int, total: int, label: str = "") -> None:
        import time

        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(frac * 30)
        if self.unit:
            amount = f"{done / self.scale:.1f}/{total / self.scale:.1f} {self.unit}"
        else:
            amount = f"{done}/{total}"
        tail = f" {label[:40]:<40}" if label else ""
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {frac:4.0%} {amount}{tail}")
        if done >= total:
            sys.stderr.write(self.end)
        sys.stderr.flush()
