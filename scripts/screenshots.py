"""Screenshots of one page of each kind of a built site, at desktop (1400x900) and phone (390x844) size.

Why: a person has to look at the pages; this makes the pictures in one command, with Debian's Chromium
(offline: every non-file request is aborted). Usage: python scripts/screenshots.py [--top] SITE_DIR OUT_DIR [REL ...]  (--top: the first screen only)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
DEFAULT_PAGES = (
    "index.html",
    "overview.html",
    "timeline.html",
    "id/office/jpo.html",
    "id/person/kasutani-toshihide.html",
    "id/meeting/heads-2021.html",
    "id/initiative/global-dossier.html",
    "id/source/s110.html",
    "queries/01-offices.html",
)


def kind_pages(site: Path) -> list[str]:
    """The default pages that exist, plus the first page of every other id/KIND folder."""
    found = [p for p in DEFAULT_PAGES if (site / p).is_file()]
    ids = site / "id"
    if ids.is_dir():
        for kind in sorted(d for d in ids.iterdir() if d.is_dir()):
            if not any(p.startswith(f"id/{kind.name}/") for p in found):
                first = sorted(kind.glob("*.html"))
                if first:
                    found.append(first[0].relative_to(site).as_posix())
    return found


def shoot(site: Path, out: Path, pages: list[str], *, full_page: bool = True) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, (w, h) in SIZES.items():
            ctx = browser.new_context(viewport={"width": w, "height": h}, service_workers="block")
            ctx.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
            page = ctx.new_page()
            for rel in pages:
                page.goto((site / rel).as_uri(), wait_until="load")
                try:
                    page.wait_for_function("window.ip5DrawnAt !== undefined", timeout=10000)
                except Exception:  # noqa: BLE001  (a page without a graph still gets its picture)
                    pass
                page.wait_for_timeout(300)
                shot = out / f"{re.sub(r'[^A-Za-z0-9]+', '_', rel.removesuffix('.html'))}-{name}.png"
                page.screenshot(path=str(shot), full_page=full_page)
                made.append(shot)
            ctx.close()
        browser.close()
    return made


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    full = "--top" not in argv
    argv = [a for a in argv if a != "--top"]
    site, out = Path(argv[0]), Path(argv[1])
    pages = argv[2:] or kind_pages(site)
    for shot in shoot(site, out, pages, full_page=full):
        print(shot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
