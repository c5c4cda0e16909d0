"""What a SPARQL-protocol request asks, and the checked text of its query.

Why apart from the front: reading a request (GET, POST of a query, POST of a form) is the
protocol's rules; the front is about connections, time and size. Both say no with `Refused`.
"""

from __future__ import annotations

import urllib.parse

from ip5graph.query import safety


class Refused(Exception):
    """A request answered by the front itself, with this status and one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def query_of(method: str, target: str, headers: dict[bytes, bytes], body: bytes) -> str | None:
    """The SPARQL query text of a SPARQL-protocol request, or None when it is not a query request."""
    url = urllib.parse.urlsplit(target)
    if url.path.rstrip("/") != "/query":
        return None
    params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
    if method == "POST" and ctype == "application/sparql-query":
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "the query is not UTF-8") from None
    if method == "POST" and ctype == "application/x-www-form-urlencoded":
        try:
            params.update(urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True, errors="strict"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "the form is not URL-encoded UTF-8") from None
    elif method == "POST":
        raise Refused(415, "POST a query as application/sparql-query or a form")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in params:
            raise Refused(400, f"{name} is not accepted: this server answers over its loaded graph only")
    queries = params.get("query") or []
    if len(queries) != 1:
        raise Refused(400, "give exactly one query parameter")
    return queries[0]


CHECKED_CACHE: dict[str, bytes] = {}
CHECKED_CACHE_MAX = 4096


def checked(text: str) -> bytes:
    """safety.check's text for this query, remembered: servers see the same queries again and again."""
    found = CHECKED_CACHE.get(text)
    if found is None:
        found = safety.check(text, "query").text.encode("utf-8")  # raises for refused queries: not cached
        if len(CHECKED_CACHE) >= CHECKED_CACHE_MAX:
            CHECKED_CACHE.clear()
        CHECKED_CACHE[text] = found
    return found
