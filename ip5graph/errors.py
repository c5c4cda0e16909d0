"""The project's exceptions: each carries the exit code the CLI turns it into.

Library code raises these instead of printing or exiting, so that the CLI can show one clear
line on stderr and the Python API can catch them by kind.
"""

from __future__ import annotations


class Ip5GraphError(Exception):
    """Base class: a problem the user can fix, reported as one line."""

    exit_code = 1


class UsageError(Ip5GraphError):
    """Wrong arguments: an unknown query name, a missing or ill-typed parameter, a bad format."""

    exit_code = 2


class DataError(Ip5GraphError):
    """An input file that cannot be read or parsed; the message starts with file:line:column."""


class QueryError(Ip5GraphError):
    """A query that cannot run: a syntax error (with line and column) or an engine failure."""


class UnsafeQueryError(QueryError):
    """A query that would reach outside the loaded graph or change it (SERVICE, LOAD, updates)."""
