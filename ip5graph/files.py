"""Writing the user's files safely: whole or not at all, with ordinary permissions.

Every writer of the project goes through here, so that an interrupted run never leaves a
half-written file and files get the mode the user's umask gives (not mkstemp's 0600).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ip5graph.errors import UsageError


class MissingFolderError(UsageError, OSError):
    """The folder a file should go into does not exist: the user named it, so a usage error
    (one line, exit 2) wherever it is raised; still an OSError for callers that catch those."""


def current_umask() -> int:
    """The process umask (reading it means setting it; it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def refuse_special(path: str | os.PathLike[str]) -> None:
    """UsageError when path is a device, FIFO or socket: replacing one (as root, /dev/null) is never wanted."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise UsageError(f"{path}: not a regular file or folder; refusing to replace it")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename: readers never see half a file."""
    target = Path(path)
    refuse_special(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise MissingFolderError(f"{target}: no such directory: {folder}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """atomic_write_bytes for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))
