"""`ip5graph build`: build the static site (web/build.py) in a folder beside the target and publish
it in its place (web/publish.py), so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ip5graph.web.build import INDEX_TOP, VIS_ASSET, Builder, Progress, SiteReport
from ip5graph.web.publish import MARKER, check_target, swap

__all__ = ["INDEX_TOP", "MARKER", "VIS_ASSET", "SiteReport", "build_site"]


def build_site(
    kg: Any,
    out: str | os.PathLike[str],
    *,
    depth: int = 1,
    seed: int = 0,
    inline: bool = False,
    progress: Progress | None = None,
) -> SiteReport:
    """Build the site for a KnowledgeGraph (ip5graph.open()) into `out`, replacing it atomically.

    depth: the neighbourhood an entity page draws; inline: scripts and styles in every page (each page
    stands alone, about 0.6 MB each) instead of one shared copy under assets/.
    """
    target = Path(out)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        report = Builder(kg, work, seed=seed, progress=progress, depth=depth, inline=inline, marker=MARKER).run()
        swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.out = target
    return report
