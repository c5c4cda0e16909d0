"""Publishing a built site: a folder built beside the target replaces it in one atomic exchange, so a
failed or killed build leaves the previous site as it was; a folder ip5graph did not write is never replaced.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import time
from pathlib import Path

from ip5graph.errors import UsageError
from ip5graph.files import current_umask, refuse_special

BUILD_PREFIX = ".site.building-"
OLD_PREFIX = ".site.old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

# the file that marks a folder as a site ip5graph built (and may replace)
MARKER = ".ip5graph-site"


def check_target(target: Path) -> None:
    """Refuse a target that is a file, or a non-empty folder without the MARKER."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(f"{target}: folder is not empty and was not built by ip5graph; refusing to replace it")


def swap(work: Path, target: Path) -> None:
    """Put the built folder `work` in place of `target` (made with the umask's permissions), atomically.

    web.paths.publish exchanges the two folders in one step where the system allows it, so a
    kill at any moment leaves the old site or the new one.
    """
    os.chmod(work, 0o777 & ~current_umask())
    publish(work, target)


def inside(root: Path, rel: str) -> Path:
    """root/rel, for a relative path the site made itself; UsageError if it could leave root."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or any(p in ("", ".", "..") for p in parts):
        raise UsageError(f"{rel!r}: a page path must stay inside the site folder")
    return Path(root).joinpath(*parts)


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
