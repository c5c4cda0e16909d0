"""Publishing a built site: a folder built beside the target replaces it in two renames, so a failed
build leaves the previous site as it was; a folder ip5graph did not write is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ip5graph.errors import UsageError
from ip5graph.files import current_umask

# the file that marks a folder as a site ip5graph built (and may replace)
MARKER = ".ip5graph-site"


def check_target(target: Path) -> None:
    """Refuse a target that is a file, or a non-empty folder without the MARKER."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(f"{target}: folder is not empty and was not built by ip5graph; refusing to replace it")


def swap(work: Path, target: Path) -> None:
    """Put the built folder `work` in place of `target` (made with the umask's permissions)."""
    os.chmod(work, 0o777 & ~current_umask())
    if not target.exists():
        os.rename(work, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(work, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
