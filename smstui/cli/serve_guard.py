"""Who may use ``smstui serve``: a sign-in link traded for a cookie, from our own origin only.

Without this, any page open in a browser on the machine could open the app's websocket and type
into it (send SMS), and anyone who reached the port was served the inbox. The rules, applied to
every route textual-serve has (the page, the websocket, downloads and its static files alike):

- A request that names an ``Origin`` other than the server's public URL is refused (403) and
  logged. A websocket must name one: every browser sends it, and the only client meant to
  open the socket is the page served here, so a missing ``Origin`` is refused too.
- At start a random token is made; the sign-in link ``PUBLIC_URL/?token=…`` is printed once.
  Opening it sets an ``HttpOnly; SameSite=Strict`` cookie (``Secure`` on https) holding a second
  random value, and redirects to the page without the token in the address bar.
- Without that cookie, every route answers a short page saying where to find the link (403).

The token and the cookie live in :class:`~smstui.system.secret.Secret` wrappers, are compared in
constant time, and are masked in every log handler by the server (see ``serve_server``).
This module needs aiohttp only; it is imported when serving, never by the app.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Final
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from smstui.system.secret import Secret

__all__ = ["Guard", "origin_of"]

log = logging.getLogger("smstui.cli.serve")

DEFAULT_PORTS: Final = {"http": 80, "https": 443}

NOT_SIGNED_IN = """smstui serve: sign in first.

Open the sign-in link that smstui serve printed in the terminal where it runs
(it looks like {public_url}/?token=...). It changes each time the server starts.
"""

BAD_TOKEN = """smstui serve: that sign-in link is not valid.

It may be from an earlier start of the server: open the link printed in the terminal
where smstui serve runs now.
"""

OTHER_ORIGIN = """smstui serve: refused: this request came from a page of another site.

Open {public_url}/ itself.
"""

SECURITY_HEADERS: Final = {
    # The page must not be framed by another page (it could trick the user into typing).
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    # The address bar held the token for one request: never tell another site where we were.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an http(s) URL or ``Origin`` value, as browsers compare them.

    Returns None for anything else (``null``, a file URL, a malformed port …).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname, port or DEFAULT_PORTS[scheme]


def _same(given: str, expected: Secret) -> bool:
    """Constant-time comparison (bytes: ``compare_digest`` rejects non-ASCII ``str``)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.reveal().encode("utf-8"))


class Guard:
    """The sign-in secrets of one server run and the aiohttp middleware that enforces them.

    Args:
        public_url: The address browsers use (``http://127.0.0.1:8000``, or a reverse proxy's
            ``https://sms.example.com``); its origin is the only one accepted.
    """

    def __init__(self, public_url: str) -> None:
        origin = origin_of(public_url)
        if origin is None:
            raise ValueError(f"not an http:// or https:// URL: {public_url!r}")
        self.public_url = public_url.rstrip("/")
        self._origin = origin
        self._home = urlsplit(self.public_url).path + "/"
        self._token = Secret(secrets.token_urlsafe(32))
        self._session = Secret(secrets.token_urlsafe(32))
        self.secure = origin[0] == "https"
        # Cookies ignore ports: two servers on one host would overwrite each other's. On https,
        # "__Host-" makes browsers refuse the name from plain http or with a Domain attribute.
        prefix = "__Host-" if self.secure else ""
        self.cookie_name = f"{prefix}smstui-session-{origin[2]}"

    def __repr__(self) -> str:
        return f"Guard(public_url={self.public_url!r})"

    def sign_in_url(self) -> Secret:
        """The link to print once: it signs a browser in until the server stops."""
        return Secret(f"{self.public_url}/?token={self._token.reveal()}")

    def secrets(self) -> tuple[Secret, Secret]:
        """The values a log must never show (the token and the cookie)."""
        return self._token, self._session

    # -- aiohttp ------------------------------------------------------------------------

    def install(self, app: web.Application) -> None:
        """Put the checks in front of every route of ``app`` (before it is frozen)."""
        app.middlewares.append(self._middleware())
        app.on_response_prepare.append(self._add_headers)

    def _middleware(self) -> Middleware:
        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            route = request.match_info.route.name
            websocket = (
                route == "websocket" or request.headers.get("Upgrade", "").lower() == "websocket"
            )
            signing_in = route == "index" and "token" in request.query
            refusal = self._foreign(request, websocket)
            if refusal is None and not signing_in:
                refusal = self._not_signed_in(request, websocket)
            if refusal is not None:
                return refusal
            return self._sign_in(request) if signing_in else await handler(request)

        return guard

    def _foreign(self, request: web.Request, websocket: bool) -> web.Response | None:
        """The refusal of a request from another origin (or a websocket naming none), or None."""
        origin = request.headers.get("Origin")
        if origin is None and not websocket:
            return None  # a navigation or a plain client: the cookie decides
        if origin is not None and origin_of(origin) == self._origin:
            return None
        log.warning(
            "refused %s %s from %s: origin %s is not %s",
            "a websocket" if websocket else request.method,
            request.path,
            request.remote,
            "(none)" if origin is None else repr(origin),
            self.public_url,
        )
        return self._page(403, OTHER_ORIGIN)

    def _not_signed_in(self, request: web.Request, websocket: bool) -> web.Response | None:
        """The refusal of a request without the session cookie, or None when it has it."""
        cookie = request.cookies.get(self.cookie_name)
        if cookie is not None and _same(cookie, self._session):
            return None
        if websocket:
            log.warning("refused a websocket from %s: not signed in", request.remote)
        else:
            log.info("refused %s %s: not signed in", request.method, request.path)
        return self._page(403, NOT_SIGNED_IN)

    def _sign_in(self, request: web.Request) -> web.Response:
        """Trade a right token for the cookie and go to the page; refuse a wrong one."""
        if not _same(request.query["token"], self._token):
            log.warning("refused a sign-in from %s: wrong token", request.remote)
            return self._page(403, BAD_TOKEN)
        log.info("signed in a browser from %s", request.remote)
        response = web.Response(status=303, headers={"Location": self._home})
        response.set_cookie(
            self.cookie_name,
            self._session.reveal(),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.secure or None,
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def _page(self, status: int, text: str) -> web.Response:
        """A short plain-text answer (plain text: nothing in it can run or load)."""
        response = web.Response(status=status, text=text.format(public_url=self.public_url))
        response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    async def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
