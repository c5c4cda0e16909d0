"""The files one graph is made of, and their fingerprint: the cache key of the stored graph.

Why a memo of digests: hashing reads every byte, several times the cost of opening the store it
looks up; a small memo keyed on size, mtime and inode skips files that have not changed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError
from ip5graph.kg import resources

# bump when the layout of the cached store changes
_STORE_VERSION = b"ip5graph-store-1"

try:  # the blake2 module alone: hashlib would also load OpenSSL (a few ms on every cold query)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - non-CPython
    from hashlib import blake2b


class Inputs:
    """The files one graph is made of: ontology (without shapes) plus graph data."""

    __slots__ = ("files",)

    def __init__(self, files: Iterable[Path]) -> None:
        self.files: tuple[Path, ...] = tuple(files)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Inputs) and other.files == self.files

    def __hash__(self) -> int:
        return hash(self.files)

    def __repr__(self) -> str:
        return f"Inputs({list(map(str, self.files))})"

    @classmethod
    def default(cls, data: Sequence[Path | str] | None = None) -> Inputs:
        """The bundled ontology plus the bundled data, or the Turtle under `data` instead."""
        dirs = [Path(d) for d in data] if data else None
        for d in dirs or []:
            if not d.exists():
                raise DataError(f"{d}: no such file or directory")
        data = resources.data_files(dirs)
        if dirs and not data:
            raise DataError(f"{', '.join(map(str, dirs))}: no .ttl files found")
        return cls(tuple(resources.ontology_files() + data))

    def fingerprint(self, memo: Path | None = None) -> str:
        """A hash of the files' names and bytes: the cache key of the store.

        Hashing reads every byte: 0.1 s at 1e6 triples, several times the cost of opening the
        store it looks up. With `memo` (a small text file) each file's digest is remembered under
        its size, mtime and inode and reused while those are unchanged, only for files that
        were last modified well before they were hashed (a file changed in the same clock tick
        as it was hashed keeps its stat, so such files are hashed again every time).
        """
        known = _read_memo(memo) if memo else {}
        fresh: dict[str, tuple[int, int, int, int, str]] = {}
        h = blake2b(_STORE_VERSION, digest_size=16)
        h.update(ox.__version__.encode())
        for path in self.files:
            h.update(b"\0" + path.name.encode() + b"\0")
            digest = None
            key = str(path.absolute())
            try:
                st = os.stat(path)
            except OSError:
                st = None  # read_file below reports it
            if st is not None:
                entry = known.get(key)
                if (
                    entry
                    and entry[:3] == (st.st_size, st.st_mtime_ns, st.st_ino)
                    and st.st_mtime_ns < entry[3] - _RACY_NS
                ):
                    digest = entry[4]
            if digest is None:
                hashed_at = time.time_ns()
                digest = blake2b(read_file(path), digest_size=16).hexdigest()
                if st is not None:
                    fresh[key] = (st.st_size, st.st_mtime_ns, st.st_ino, hashed_at, digest)
            h.update(digest.encode())
        if memo and fresh:
            _write_memo(memo, {**known, **fresh})
        return h.hexdigest()


# a file whose mtime is this close to the moment it was hashed is not trusted to its stat
_RACY_NS = 2_000_000_000
_MEMO_LINES = 512


def _read_memo(memo: Path) -> dict[str, tuple[int, int, int, int, str]]:
    """size mtime_ns inode hashed_at_ns digest path, one file per line; bad lines are skipped."""
    out: dict[str, tuple[int, int, int, int, str]] = {}
    try:
        text = memo.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        parts = line.split(" ", 5)
        if len(parts) == 6 and all(p.isdigit() for p in parts[:4]):
            out[parts[5]] = (int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3]), parts[4])
    return out


def _write_memo(memo: Path, entries: dict[str, tuple[int, int, int, int, str]]) -> None:
    """Replace the memo atomically; a lost race only means hashing again next time."""
    from ip5graph.files import atomic_write_text  # only when the memo changes: not on every cold query

    lines = [f"{e[0]} {e[1]} {e[2]} {e[3]} {e[4]} {p}\n" for p, e in entries.items() if "\n" not in p]
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(memo, "".join(lines[-_MEMO_LINES:]))
    except OSError:
        pass


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
