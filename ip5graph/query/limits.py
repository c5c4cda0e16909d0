"""Bounds on what one query may cost: time and answer size, with defaults and checked values.

Why here: the CLI, the API, the server front and the remote client all need the same limits with
the same messages. Rows are counted while the answer is read, so an answer too large stops at
the limit instead of filling memory; time is checked between rows. An engine busy inside one
step (a sort or a count over a huge product) cannot be interrupted from Python: `Watchdog` ends
the process at the deadline for the CLI, which owns its process; for the API, `Budget(hard=True)`
runs the query in a worker process that is ended instead (query.isolated).
"""

from __future__ import annotations

import os
import sys
import threading
import time

from ip5graph.errors import QueryError, UsageError

TYPE_CHECKING = False  # typing costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator
    from typing import TypeVar

    T = TypeVar("T")

# defaults, documented in the README
QUERY_TIMEOUT = 120.0  # seconds, CLI and API
MAX_ROWS = 1_000_000  # rows or triples in one answer
SERVE_TIMEOUT = 30.0  # seconds per request on `ip5graph serve`
REMOTE_TIMEOUT = 600.0  # seconds in all for one push or remote query
MAX_RESPONSE_BYTES = 1 << 30  # bytes of one remote answer


def seconds(value: str | float | None, option: str = "--timeout") -> float | None:
    """A timeout from the user: a positive number of seconds, or 0 / None for none; else UsageError."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{option} takes a number of seconds; got {value!r}") from None
    if number != number or number < 0 or number in (float("inf"),):
        raise UsageError(f"{option} must be a positive number of seconds (0 for no limit); got {value!r}")
    return number or None


def count(value: str | int | None, option: str = "--max-rows") -> int | None:
    """A size limit from the user: a positive whole number, or 0 / None for none; else UsageError."""
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UsageError(f"{option} takes a whole number; got {value!r}") from None
    if number < 0:
        raise UsageError(f"{option} must be 0 (no limit) or more; got {value!r}")
    return number or None


class Budget:
    """The limits of one query run: a deadline and a row count, checked while reading the answer.

    hard=True: the Oxigraph engine runs the query in a worker process over the on-disk store and
    kills it at the deadline (see query.isolated), so even a query busy inside the engine stops.
    """

    __slots__ = ("timeout", "max_rows", "deadline", "source", "hard")

    def __init__(
        self,
        timeout: float | None = QUERY_TIMEOUT,
        max_rows: int | None = MAX_ROWS,
        source: str = "<query>",
        *,
        hard: bool = False,
    ) -> None:
        self.timeout = timeout
        self.max_rows = max_rows
        self.deadline = time.monotonic() + timeout if timeout else None
        self.source = source
        self.hard = hard

    def timed_out(self) -> QueryError:
        return QueryError(f"{self.source}: query timed out after {self.timeout:g} s (--timeout to change it)")

    def collect(self, items: Iterable[T]) -> list[T]:
        """The items as a list; QueryError past the row limit or the deadline."""
        return list(self.guard(items))

    def guard(self, items: Iterable[T]) -> Iterator[T]:
        n = 0
        limit = self.max_rows
        deadline = self.deadline
        for item in items:
            n += 1
            if limit is not None and n > limit:
                raise QueryError(
                    f"{self.source}: the answer has more than {limit} rows (--max-rows to change it, or add LIMIT)"
                )
            if deadline is not None and not n & 0xFF and time.monotonic() > deadline:
                raise self.timed_out()
            yield item
        if deadline is not None and time.monotonic() > deadline:
            raise self.timed_out()


class Watchdog:
    """For the CLI only: at the deadline, print one line and end the process (exit 1).

    The engines cannot be interrupted inside one step; ending the process is the only way to stop
    such a query, and the CLI owns its process. A context manager; leaving it disarms the dog.
    """

    def __init__(self, timeout: float | None, message: str) -> None:
        self.timeout = timeout
        self.message = message
        self._done = threading.Event()

    def _watch(self) -> None:
        if not self._done.wait(self.timeout):
            try:
                sys.stderr.write(f"ip5graph: error: {self.message}\n")
                sys.stderr.flush()
            finally:
                os._exit(1)

    def __enter__(self) -> Watchdog:
        if self.timeout:
            threading.Thread(target=self._watch, name="ip5graph-watchdog", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()


def read_bounded(stream: object, max_bytes: int | None, deadline: float | None, where: str) -> bytes:
    """Read a whole HTTP answer, but no more than max_bytes and not past the deadline (monotonic).

    A socket timeout alone bounds each read, not the total: a server trickling one byte a second
    never trips it. Reads return what has arrived, so the deadline is checked between them.
    """
    read = getattr(stream, "read1", None) or stream.read  # type: ignore[attr-defined]
    chunks: list[bytes] = []
    size = 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryError(f"{where}: the answer did not arrive in time (--timeout to change it)")
        chunk = read(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise QueryError(f"{where}: the answer is larger than {max_bytes} bytes")
        chunks.append(chunk)
