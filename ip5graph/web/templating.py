"""Jinja2 for the site's pages: autoescaping on for every template, so data text is always escaped;
the only unescaped HTML is what this package builds with Markup from escaped parts."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")
ASSETS = Path(__file__).with_name("assets")
NAV = [
    ("index.html", "Home"),
    ("overview.html", "Overview"),
    ("timeline.html", "Timeline"),
    ("statistics.html", "Statistics"),
    ("index.html#queries", "Queries"),
    ("index.html#entities", "All entities"),
    ("index.html#downloads", "Downloads"),
]
if importlib.util.find_spec("ip5graph.web.workbench") is not None:  # query.html, written by the workbench
    NAV.insert(4, ("query.html", "Ask (SPARQL)"))
LANGUAGES = [("en", "English"), ("ja", "日本語 (Japanese)"), ("zh", "中文 (Chinese)"), ("ko", "한국어 (Korean)")]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["slug"] = _slug
    return env


def render(template: str, **context: Any) -> str:
    """One page; `root` (the way back to the site root) and the shared nav filled in."""
    context.setdefault("nav", NAV)
    context.setdefault("languages", LANGUAGES)
    context.setdefault("jsonld", "")
    context.setdefault("alternates", [])
    context.setdefault("graph", None)
    context.setdefault("inline", None)
    return environment().get_template(template).render(**context)


def inline_assets(assets: dict[str, str]) -> dict[str, Markup]:
    """Scripts and styles to put into each page (`render(..., inline=...)`) instead of linking them,
    made safe inside a <script>/<style> element (no '</script' or '</style' can close it early)."""
    end = re.compile(r"</(script|style)", re.I)
    return {name: Markup(end.sub(r"<\\/\1", text)) for name, text in assets.items()}


def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")
