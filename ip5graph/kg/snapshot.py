"""One read of the input files: the cache key and the bytes the store is built from, together.

Why: a key hashed from one read and a store filled from a second read can disagree (a file
rewritten in between makes the cache answer old data under the new key, indefinitely). Here each
file is read once; its digest is of exactly those bytes, and a build loads those same bytes.

The memo (digest remembered per file) is trusted only while size, mtime, inode *and ctime* are
unchanged: `os.utime`, `cp -p` or an archive restore can put an old mtime back, but every write
and every utime moves ctime, which no user call can set.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ip5graph.errors import DataError

try:  # the blake2 module alone: hashlib would also load OpenSSL (a few ms on every cold query)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - non-CPython
    from hashlib import blake2b

# a file changed this close to the moment it was hashed is hashed again next time
RACY_NS = 2_000_000_000
MEMO_LINES = 512
Entry = tuple[int, int, int, int, int, str]  # size, mtime_ns, ino, ctime_ns, hashed_at_ns, digest


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None


class Snapshot:
    """Digests of the inputs, and (when read) the very bytes each digest is of."""

    def __init__(self) -> None:
        self.digests: dict[Path, str] = {}
        self.data: dict[Path, bytes] = {}

    def bytes_of(self, path: Path) -> bytes:
        """The bytes hashed for path; read (and checked against the digest) when the memo was used."""
        data = self.data.get(path)
        if data is None:
            data = read_file(path)
            if blake2b(data, digest_size=16).hexdigest() != self.digests[path]:
                raise DataError(f"{path}: changed while the graph was being loaded; run again")
        return data


def digest_files(
    files: tuple[Path, ...], memo: dict[str, Entry], keep_bytes: bool
) -> tuple[Snapshot, dict[str, Entry]]:
    """Each file's digest, from the memo when its stat (with ctime) is unchanged and not racy."""
    snap = Snapshot()
    fresh: dict[str, Entry] = {}
    for path in files:
        key = str(path.absolute())
        try:
            st = os.stat(path)
        except OSError:
            st = None
        entry = memo.get(key)
        if st is not None and entry and entry[:4] == stat_key(st) and st.st_ctime_ns < entry[4] - RACY_NS:
            snap.digests[path] = entry[5]
            continue
        hashed_at = time.time_ns()
        data = read_file(path)
        snap.digests[path] = blake2b(data, digest_size=16).hexdigest()
        if keep_bytes:
            snap.data[path] = data
        try:
            after = os.stat(path)
        except OSError:
            continue
        if st is not None and stat_key(after) == stat_key(st) and after.st_size == len(data):
            fresh[key] = (*stat_key(st), hashed_at, snap.digests[path])
    return snap, fresh


def read_memo(memo: Path) -> dict[str, Entry]:
    """size mtime_ns inode ctime_ns hashed_at_ns digest path, one file per line; bad lines skipped."""
    out: dict[str, Entry] = {}
    try:
        text = memo.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        parts = line.split(" ", 6)
        if len(parts) == 7 and all(p.isdigit() for p in parts[:5]):
            out[parts[6]] = (int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4]), parts[5])
    return out


def write_memo(memo: Path, entries: dict[str, Entry]) -> None:
    """Replace the memo atomically; a lost race only means hashing again next time."""
    from ip5graph.files import atomic_write_text  # only when the memo changes: not on every cold query

    lines = [" ".join(map(str, e)) + f" {p}\n" for p, e in entries.items() if "\n" not in p]
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(memo, "".join(lines[-MEMO_LINES:]))
    except OSError:
        pass
