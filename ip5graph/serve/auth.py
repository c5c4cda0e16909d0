"""Logging in to a SPARQL service: HTTP Basic, HTTP Digest (RFC 7616), or a Bearer token.

Why Digest: Virtuoso's authenticated endpoints (/sparql-auth, /sparql-graph-crud-auth) offer
Digest only, and answer an unasked Basic login with a bare 401. The Digest arithmetic is urllib's
own (AbstractDigestAuthHandler.get_authorization: MD5 or SHA-256, qop=auth, nonce counts), which
the standard library tests; what is done here is only when to use it. urllib's handler chain is
not used as it stands because it resends a request with the same body object after a 401, which a
streamed upload no longer has, and it would follow a redirect with the login.
"""

from __future__ import annotations

import base64
import email.message
import threading
import urllib.request
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Login:
    """A user name and password, answered to a Basic or a Digest challenge."""

    user: str
    password: str = field(repr=False)

    def basic(self) -> str:
        """The `Authorization` value for HTTP Basic."""
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")


class _OneLogin(urllib.request.HTTPPasswordMgr):
    """The password manager urllib's Digest code asks: one login for every realm and URL."""

    def __init__(self, login: Login) -> None:
        super().__init__()
        self.login = login

    def find_user_password(self, realm: str, authuri: str) -> tuple[str, str]:
        return self.login.user, self.login.password


def digest_challenge(headers: email.message.Message | None) -> dict[str, str] | None:
    """The parameters of a `WWW-Authenticate: Digest ...` challenge, or None when there is none."""
    if headers is None:
        return None
    for value in headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = value.strip().partition(" ")
        if scheme.lower() == "digest":
            return urllib.request.parse_keqv_list([x for x in urllib.request.parse_http_list(rest) if x])
    return None


class Session:
    """What the client has learnt about one server: the Digest challenge to answer, how it takes queries.

    Shared by every request made for one Remote (a push's PUTs and count queries, a query and its
    label look-ups), so a server is challenged and probed once, not on every request.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._challenge: dict[str, str] | None = None
        self._digester: urllib.request.AbstractDigestAuthHandler | None = None
        self.query_method: str | None = None  # "direct" (application/sparql-query) or "form"

    @property
    def knows_digest(self) -> bool:
        return self._challenge is not None

    def learn(self, challenge: dict[str, str]) -> None:
        with self._lock:
            self._challenge = challenge

    def digest(self, login: Login, req: urllib.request.Request) -> str | None:
        """The `Authorization: Digest ...` value answering the last challenge for this request."""
        with self._lock:
            if self._challenge is None:
                return None
            if self._digester is None:
                self._digester = urllib.request.AbstractDigestAuthHandler(_OneLogin(login))
            answer = self._digester.get_authorization(req, self._challenge)
        return "Digest " + answer if answer else None
