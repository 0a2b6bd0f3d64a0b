"""What keeps the pages safe: CSRF tokens, cookie flags, and the security headers.

**CSRF** is a signed double-submit: the ``gd_csrf`` cookie holds a random nonce, and
every form carries ``csrf`` = the HMAC of that nonce under the service's key with the
purpose prefix ``csrf\\0`` (:func:`csrf_token`). Another site can make a browser send the
cookie, but cannot read it, nor compute the HMAC: :func:`require_csrf` refuses a form
whose field does not match its cookie, or that the browser says came from another site
(``Sec-Fetch-Site``, ``Origin``), with the 403 page. The same key signs sessions
(``session\\0``) and grantee links (``link\\0``); the prefix keeps a signature made for
one use from passing for another.

**Cookies** (:func:`set_cookie`) are HttpOnly, SameSite=Strict, Path=/, and Secure when
the request came over https: ``request.url.scheme`` (uvicorn already applies a local
proxy's ``X-Forwarded-Proto``), or that header itself when ``GRANTDOCS_TRUST_PROXY=1``.

**Headers** (:class:`SecurityHeaders`, a middleware) on ``/app``, ``/g`` and ``/static``:
the Content-Security-Policy :data:`CSP` (no inline script or style, nothing from another
origin), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (a grantee
link is a secret in the address), ``X-Frame-Options: DENY``, and ``Cache-Control:
no-store`` on pages (a page may show a grant's figures; static files are ``no-cache``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import Request, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from grantdocs.keys import Keyring

CSRF_COOKIE = "gd_csrf"
CSRF_FIELD = "csrf"
CSRF_PURPOSE = b"csrf\0"
SESSION_PURPOSE = b"session\0"
LINK_PURPOSE = b"link\0"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
_NONCE_BYTES = 32
Scope = dict[str, Any]


class PageError(HTTPException):
    """An error answered with the Norwegian error page (on ``/g/`` and ``/app/`` paths).

    ``kind`` picks the text (a table of ``[errors]`` in ``web.toml``, e.g. ``"csrf"``,
    ``"link_gone"``; by default the status's own), ``lang`` the written form (else
    ``request.state.lang``, else Bokmål).
    """

    def __init__(self, status_code: int, *, kind: str | None = None, lang: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status_code, detail=kind or str(status_code),
                         headers=dict(headers) if headers else None)
        self.kind = kind
        self.lang = lang


def environ(request: Request) -> Mapping[str, str]:
    """The service's environment (its settings'), else the process's."""
    state = getattr(request.app.state, "service", None)
    if state is not None:
        found: Mapping[str, str] = state.settings.environ
        return found
    return os.environ


def keyring(request: Request) -> Keyring:
    """The service's keyring (``settings.keyring()``), looked up once per application."""
    ring: Keyring | None = getattr(request.app.state, "web_keyring", None)
    if ring is None:
        ring = request.app.state.service.settings.keyring()
        request.app.state.web_keyring = ring
    return ring


def over_https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    if environ(request).get("GRANTDOCS_TRUST_PROXY", "").strip() == "1":
        proto = request.headers.get("x-forwarded-proto", "")
        return proto.split(",")[0].strip().lower() == "https"
    return False


def set_cookie(response: Response, request: Request, name: str, value: str, *,
               max_age: int | None) -> None:
    """A cookie that scripts cannot read, sent to this site only, and only over https
    when the page came over https."""
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        samesite="strict", secure=over_https(request))


def _nonce(request: Request) -> str:
    """The request's CSRF nonce: its cookie's, else a new one (kept for the answer)."""
    made: str | None = getattr(request.state, "csrf_nonce", None)
    if made is not None:
        return made
    cookie = request.cookies.get(CSRF_COOKIE, "")
    nonce = cookie if 20 <= len(cookie) <= 100 else secrets.token_urlsafe(_NONCE_BYTES)
    request.state.csrf_nonce = nonce
    return nonce


def csrf_token(request: Request) -> str:
    """The form token for this request: the HMAC of the ``gd_csrf`` cookie's nonce."""
    return keyring(request).sign(CSRF_PURPOSE + _nonce(request).encode("ascii", "replace"))


def set_csrf_cookie(response: Response, request: Request) -> None:
    """Set ``gd_csrf`` on ``response`` if the request did not bring the nonce it used."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce is not None and request.cookies.get(CSRF_COOKIE) != nonce:
        set_cookie(response, request, CSRF_COOKIE, nonce, max_age=None)


def same_origin(request: Request) -> bool:
    """Whether the browser says the form came from this site.

    ``Sec-Fetch-Site`` where the browser sends it (every current one does); else the
    ``Origin`` header, when it names a host. Under ``Referrer-Policy: no-referrer`` a
    browser sends ``Origin: null`` even for a form of the same page, so ``null`` (like
    no header) leaves the decision to the token.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site.strip().lower() in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


async def require_csrf(request: Request) -> None:
    """FastAPI dependency of every form route: the 403 page unless the form's ``csrf``
    field is the HMAC of its ``gd_csrf`` cookie and the browser does not say it came from
    another site (:func:`same_origin`)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if (not same_origin(request) or not cookie or not isinstance(given, str)
            or not keyring(request).verify(CSRF_PURPOSE + cookie.encode("ascii", "replace"),
                                           given)):
        raise PageError(403, kind="csrf")


def is_web_path(path: str) -> bool:
    return path == "/app" or path.startswith(("/app/", "/g/"))


def add_headers(response: Response, path: str) -> None:
    """The security headers of a page (``path`` under /app or /g/) or a static file."""
    _set_headers(response.headers, path)


def _set_headers(headers: MutableHeaders, path: str) -> None:
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    if path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-cache")
    else:
        headers["Cache-Control"] = "no-store"


class SecurityHeaders:
    """ASGI middleware: :func:`add_headers` on every answer under /app, /g/ and /static/.

    A plain ASGI middleware (it only adds headers to the answer's start), not Starlette's
    ``BaseHTTPMiddleware``, which runs the application in a task of its own per request."""

    def __init__(self, app: Callable[[Scope, Any, Any], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (is_web_path(path) or path.startswith("/static/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", ()))}
                _set_headers(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)
