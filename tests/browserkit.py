"""Shared by the browser tests: Debian's Chromium (never a downloaded one) and how it is started."""

import time

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def wait_js(page, expr: str, timeout: float = 30.0) -> None:
    """Poll a JS expression through page.evaluate: Playwright's wait_for_function evaluates its
    predicate with eval(), which a page's Content-Security-Policy (query.html's, rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expr):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expr}")
        page.wait_for_timeout(20)
