"""IRI -> where its page lives in the site: the ONE place that derives file paths from IRIs.

Why `id/office/jpo.html` for `https://w3id.org/ip5graph/id/office/jpo`: the path mirrors the IRI, so
a host serving the site under the IRI base resolves every IRI with one rule (append `.html`, which
many static hosts already do for extension-less requests); the Turtle and JSON-LD of the entity sit
beside it (`jpo.ttl`, `jpo.jsonld`) for content negotiation by the same rule. A folder per entity
(`jpo/index.html`) would not work from `file://`, where a link to `jpo/` shows a directory listing.

Confinement: a path segment is only ever made of `[a-z0-9._-]`, never `.` or `..`, so no IRI can
name a file outside the output folder; an IRI that does not fit gets a hashed name under `id/_/`.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from ip5graph.rdf.namespaces import ID

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def page_stem(iri: str) -> str:
    """The site-relative path of an entity without extension: 'id/office/jpo'."""
    if iri.startswith(ID):
        parts = iri[len(ID) :].split("/")
        if 1 <= len(parts) <= 4 and all(_SEGMENT.match(p) and p not in (".", "..") for p in parts):
            return "id/" + "/".join(parts)
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:20]
    return f"id/_/{digest}"


def page_path(iri: str) -> str:
    """'id/office/jpo.html'."""
    return page_stem(iri) + ".html"


def data_path(iri: str, ext: str) -> str:
    """The entity's own data file next to its page: ext 'ttl' or 'jsonld'."""
    return f"{page_stem(iri)}.{ext}"


def root_of(rel: str) -> str:
    """The relative prefix from a page back to the site root: '../../' for 'id/office/jpo.html'."""
    return "../" * rel.count("/")


def link(from_rel: str, to_rel: str) -> str:
    """A relative link from one site page to another (works from file://)."""
    base = posixpath.dirname(from_rel) or "."
    return posixpath.relpath(to_rel, base)
