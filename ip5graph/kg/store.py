"""Loading the Turtle files into a graph: a cached on-disk Oxigraph store, or rdflib in memory.

Why a cache: a cold `ip5graph query` should cost about as much as opening a database, not
parsing every file. The store lives in the user's cache directory under a name made from a hash
of the input files' bytes, so it is rebuilt only when they change. It is built in a fresh
directory and published by atomically replacing a symlink, so concurrent processes see either
the old complete store or the new complete store, never half of one. Queries open it read-only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from ip5graph.errors import DataError
from ip5graph.kg import resources

TYPE_CHECKING = False  # typing itself costs milliseconds on the cold query path
if TYPE_CHECKING:  # pragma: no cover
    import rdflib

# bump when the layout of the cached store changes
_STORE_VERSION = b"ip5graph-store-1"
# unreferenced store directories older than this are removed (readers may still hold them)
_GRACE_SECONDS = 3600
# how many stores (one per distinct set of input files) the cache keeps
_KEEP = 4
# files larger than this are bulk-loaded into the store being built
_BULK_BYTES = 1 << 20


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
                st = None  # _read below reports it
            if st is not None:
                entry = known.get(key)
                if (entry and entry[:3] == (st.st_size, st.st_mtime_ns, st.st_ino)
                        and st.st_mtime_ns < entry[3] - _RACY_NS):
                    digest = entry[4]
            if digest is None:
                hashed_at = time.time_ns()
                digest = blake2b(_read(path), digest_size=16).hexdigest()
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
    out = {}
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
    lines = [f"{e[0]} {e[1]} {e[2]} {e[3]} {e[4]} {p}\n" for p, e in entries.items() if "\n" not in p]
    tmp = memo.with_name(f".{memo.name}.{os.getpid()}.{time.monotonic_ns()}")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("".join(lines[-_MEMO_LINES:]), encoding="utf-8")
        os.replace(tmp, memo)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/ip5graph, or ~/.cache/ip5graph."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ip5graph"


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
            _check_syntax(path, _read(path))
        except DataError as e:
            errors.append(str(e))
    return errors


def store_path(inputs: Inputs, root: Path | None = None) -> Path:
    """The published location of the store for these inputs (a symlink to its directory)."""
    stores = (root or cache_dir()) / "stores"
    return stores / inputs.fingerprint(memo=stores / "digests")


def open_store(inputs: Inputs, root: Path | None = None) -> ox.Store:
    """The cached store for these inputs, opened read-only; built first when missing."""
    link = store_path(inputs, root)
    target = _resolve(link)
    if target is None:
        target = build_store(inputs, root)
    try:
        return ox.Store.read_only(str(target))
    except OSError:
        # pruned or replaced between resolving and opening: build our own copy
        return ox.Store.read_only(str(build_store(inputs, root)))


def _resolve(link: Path) -> Path | None:
    try:
        target = link.parent / os.readlink(link)
    except OSError:
        return None
    return target if target.is_dir() else None


def build_store(inputs: Inputs, root: Path | None = None) -> Path:
    """Build the store in a new directory and publish it; returns the directory.

    Safe to run while other processes read or build the same store: publishing is one
    atomic rename of a symlink, and old directories are only removed after a grace period.
    """
    import shutil  # only when building: these cost milliseconds on every cold query otherwise
    import tempfile

    link = store_path(inputs, root)
    stores = link.parent
    stores.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".build-{link.name}.", dir=stores))
    target = stores / f"{link.name}.{os.getpid()}-{os.urandom(4).hex()}"
    try:
        store = ox.Store(str(work / "db"))
        for path in inputs.files:
            data = _read(path)
            try:
                # big files: bulk_load, no transaction (the directory is thrown away on error
                # anyway); at 1e6 triples 2.5x faster than load, 0.2 GB less peak memory. It costs
                # ~12 ms a call, so small files (the bundled data) go through load.
                if len(data) > _BULK_BYTES:
                    store.bulk_load(data, format=ox.RdfFormat.TURTLE)
                else:
                    store.load(data, format=ox.RdfFormat.TURTLE)
            except SyntaxError as e:
                raise DataError(syntax_message(path, e)) from None
        store.optimize()
        store.flush()
        # a checkpoint copy has no write-ahead log to replay: it opens faster read-only
        store.backup(str(target))
        del store
        tmp_link = stores / f".{link.name}.{os.getpid()}.{time.monotonic_ns()}.link"
        os.symlink(target.name, tmp_link)
        os.replace(tmp_link, link)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune(stores)
    return target


def _prune(stores: Path, keep: int = _KEEP) -> None:
    """Forget all but the `keep` newest stores, and remove directories nothing points to.

    Only what is older than the grace time goes, since another process may still be reading it.
    """
    import shutil

    now = time.time()
    try:
        entries = list(os.scandir(stores))
    except OSError:
        return
    links = []
    for e in entries:
        try:
            if e.is_symlink():
                age = now - e.stat(follow_symlinks=False).st_mtime
                if e.name.endswith(".link") or not os.path.isdir(e.path):
                    if age > _GRACE_SECONDS or not e.name.endswith(".link"):
                        os.unlink(e.path)  # a stale temporary link, or one whose store is gone
                    continue
                links.append((age, e))
        except OSError:
            continue
    links.sort(key=lambda pair: pair[0])
    for age, e in links[keep:]:
        if age > _GRACE_SECONDS:
            try:
                os.unlink(e.path)
            except OSError:
                pass
    live = set()
    for _, e in links:
        try:
            live.add(os.readlink(e.path))
        except OSError:
            pass
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False) and e.name not in live \
                    and now - e.stat(follow_symlinks=False).st_mtime > _GRACE_SECONDS:
                # replaced or forgotten stores, and builds that crashed (.build-*)
                shutil.rmtree(e.path, ignore_errors=True)
        except OSError:
            continue


def load_rdflib(inputs: Inputs) -> rdflib.Graph:
    """The same files in an in-memory rdflib Graph (for the rdflib engine, SHACL and exports)."""
    import rdflib

    graph = rdflib.Graph(bind_namespaces="core")
    for path in inputs.files:
        data = _read(path)
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
            store.load(_read(path), format=ox.RdfFormat.TURTLE)
        except SyntaxError as e:
            raise DataError(syntax_message(path, e)) from None
    return store
