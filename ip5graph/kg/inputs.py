"""The files one graph is made of, and their fingerprint: the cache key of the stored graph.

Why a memo of digests: hashing reads every byte, several times the cost of opening the store it
looks up; a small memo (kg.snapshot) skips files whose size, mtime, inode and ctime have not changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError
from ip5graph.kg import resources
from ip5graph.kg.snapshot import Snapshot, digest_files, read_file, read_memo, write_memo

__all__ = ["Inputs", "read_file"]

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

    def snapshot(self, memo: Path | None = None, keep_bytes: bool = False) -> tuple[str, Snapshot]:
        """The cache key of the store and the digests (with `keep_bytes`, the bytes) it is made of.

        Hashing reads every byte: 0.1 s at 1e6 triples, several times the cost of opening the
        store it looks up. With `memo` (a small text file) each file's digest is remembered under
        its size, mtime, inode and ctime (see kg.snapshot); a build loads exactly the bytes hashed.
        """
        known = read_memo(memo) if memo else {}
        snap, fresh = digest_files(self.files, known, keep_bytes)
        h = blake2b(_STORE_VERSION, digest_size=16)
        h.update(ox.__version__.encode())
        for path in self.files:
            h.update(b"\0" + path.name.encode() + b"\0")
            h.update(snap.digests[path].encode())
        if memo and fresh:
            write_memo(memo, {**known, **fresh})
        return h.hexdigest(), snap

    def fingerprint(self, memo: Path | None = None) -> str:
        """A hash of the files' names and bytes: the cache key of the store."""
        return self.snapshot(memo)[0]
