"""Where the site writes: paths derived from IRIs stay inside the output folder, and the finished
site replaces the old one in one atomic step.

Why one module: an entity IRI is data, and data may hold `../`, an absolute path or a separator;
every path the site derives from an IRI goes through `confined`, so nothing can be written
outside the folder being built. `publish` swaps the new folder in with one rename-exchange
(Linux renameat2), so a kill at any moment leaves the old site or the new one; elsewhere it falls
back to two renames. Leftover build folders of killed runs are removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import sys
import time
from pathlib import Path

from ip5graph.errors import UsageError
from ip5graph.files import refuse_special

BUILD_PREFIX = ".site.building-"
OLD_PREFIX = ".site.old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_SAFE_SEGMENT = re.compile(r"[^A-Za-z0-9._-]")


def segment(text: str) -> str:
    """One path segment from IRI text: other characters written ~XX (UTF-8 bytes), never `.`, `..` or empty.

    `~` rather than `%`: the pages link to these names, and a browser would decode a `%XX` in a link.
    Distinct texts give distinct segments (a `~` itself is written ~7E).
    """
    out = _SAFE_SEGMENT.sub(lambda m: "".join(f"~{b:02X}" for b in m.group().encode("utf-8")), text)
    if out in ("", ".", ".."):
        out = out.replace(".", "~2E") or "~"
    if len(out) > 200:  # file systems stop at 255 bytes: keep the start, tell apart by a hash
        import hashlib

        out = out[:180] + "~~" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
    return out


def inside(root: Path, rel: str) -> Path:
    """root/rel, for a relative path the site made itself; UsageError if it could leave root."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or any(p in ("", ".", "..") for p in parts):
        raise UsageError(f"{rel!r}: a page path must stay inside the site folder")
    return Path(root).joinpath(*parts)


def confined(root: Path, parts: list[str] | tuple[str, ...] | str) -> Path:
    """root/part/part... with each part made a safe segment; raises if it would leave root anyway."""
    if isinstance(parts, str):
        parts = [p for p in parts.split("/")]
    path = Path(root).joinpath(*(segment(p) for p in parts))
    base = os.path.abspath(root)
    if os.path.commonpath([base, os.path.abspath(path)]) != base or os.path.abspath(path) == base:
        raise UsageError(f"{path}: a page path must stay inside {root}")
    return path


def check_output(path: Path) -> None:
    """Refuse to replace anything but a regular file, a directory or nothing (devices, FIFOs, sockets)."""
    refuse_special(path)


def new_build_folder(target: Path) -> Path:
    """A fresh folder next to target to build into (same file system, so the swap is a rename)."""
    parent = target.absolute().parent
    clean_leftovers(parent)
    work = parent / f"{BUILD_PREFIX}{target.name}.{os.getpid()}.{time.monotonic_ns()}"
    work.mkdir()
    return work


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def publish(work: Path, target: Path) -> None:
    """Put the finished folder `work` at `target`; the old target is removed afterwards."""
    check_output(target)
    if target.is_symlink() or target.is_file():
        raise UsageError(f"{target}: exists and is not a folder; refusing to replace it")
    if not target.exists():
        os.rename(work, target)
        return
    if _exchange(work, target):
        # work now holds the old site; move it aside under a name the next build cleans up
        old = target.absolute().parent / f"{OLD_PREFIX}{target.name}.{os.getpid()}.{time.monotonic_ns()}"
        os.rename(work, old)
        shutil.rmtree(old, ignore_errors=True)
        return
    old = target.absolute().parent / f"{OLD_PREFIX}{target.name}.{os.getpid()}.{time.monotonic_ns()}"
    os.rename(target, old)  # a kill between these two renames leaves the old site in `old`
    os.rename(work, target)
    shutil.rmtree(old, ignore_errors=True)


def clean_leftovers(parent: Path, grace: float = 0.0) -> None:
    """Remove build and old-site folders that killed builds left (not those of live processes)."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for e in entries:
        if not e.name.startswith((BUILD_PREFIX, OLD_PREFIX)):
            continue
        pid = e.name.rsplit(".", 2)[-2] if e.name.count(".") >= 3 else ""
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        try:
            if time.time() - e.stat(follow_symlinks=False).st_mtime >= grace:
                shutil.rmtree(e.path, ignore_errors=True)
        except OSError:
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
