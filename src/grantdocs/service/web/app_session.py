"""The caseworker's session: a signed cookie that names the token it was opened with.

``gd_session`` is ``<token id>.<issued at>.<nonce>.<signature>``: the issued-at time in
whole seconds since 1970 (UTC), 128 random bits of nonce, and the HMAC of the three
under the service's keyring (:meth:`ServiceSettings.keyring`) with the purpose prefix
``b"session\\0"``, so no other signature of the service (a CSRF token, a grantee link)
passes for a session. A session lasts :data:`SESSION_SECONDS` (8 hours) from sign-in;
the token is looked up on every request, so revoking it (``grantdocs token revoke``)
ends its sessions at once. Signing out ends the session on the server too: its nonce is
kept in ``ended_sessions`` (until the cookie would have expired), so a copy of the
cookie replayed after sign-out is sent to the sign-in form. The cookie is set by web-base's
:func:`~grantdocs.service.web.security.set_cookie` (HttpOnly, SameSite=Strict, Secure
over https).

The caseworker's pages are in the issuer's own written form: the service's default
issuer profile's ``default_language`` (IMDi's is Bokmål), Bokmål if that profile cannot
be read (:func:`caseworker_lang`).
"""

from __future__ import annotations

import functools
import secrets
import time
from typing import TYPE_CHECKING

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from grantdocs.errors import GrantdocsError
from grantdocs.service.deps import service
from grantdocs.service.web.pages import Lang
from grantdocs.service.web.security import SESSION_PURPOSE as PURPOSE
from grantdocs.service.web.security import keyring, set_cookie

if TYPE_CHECKING:
    from grantdocs.keys import Keyring

SESSION_COOKIE = "gd_session"
SESSION_SECONDS = 8 * 60 * 60
SIGN_IN = "/app/"


@functools.cache
def caseworker_lang() -> Lang:
    """The written form of the caseworker's pages: the default issuer's own (see above)."""
    from grantdocs.issuer import load_issuer

    try:
        own = load_issuer(None).internal_language
    except GrantdocsError:
        return "nb"
    return "nn" if own == "nn" else "nb"


def _signature(ring: Keyring, payload: str) -> str:
    return ring.sign(PURPOSE + payload.encode("ascii"))


def session_value(ring: Keyring, token_id: int, now: float | None = None) -> str:
    """A new session's cookie value for ``token_id``."""
    issued = int(time.time() if now is None else now)
    payload = f"{token_id}.{issued}.{secrets.token_urlsafe(16)}"
    return f"{payload}.{_signature(ring, payload)}"


def session_token(ring: Keyring, value: str, now: float | None = None) -> int | None:
    """The token id of a well-signed, unexpired session cookie value, else None."""
    parts = value.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    payload = ".".join(parts[:3])
    if not ring.verify(PURPOSE + payload.encode("ascii", "replace"), parts[3]):
        return None
    age = (time.time() if now is None else now) - int(parts[1])
    if not 0 <= age < SESSION_SECONDS:
        return None
    return int(parts[0])


def _active(request: Request, token_id: int, nonce: str) -> bool:
    from grantdocs.service.db import EndedSession, Token

    with service(request).sessions() as session:
        row = session.get(Token, token_id)
        if row is None or row.revoked_at is not None:
            return False
        return session.get(EndedSession, nonce) is None


def signed_in(request: Request) -> int | None:
    """The token id of the request's session, if it has one that still holds."""
    request.state.lang = caseworker_lang()  # the language of an error page under /app/
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    token_id = session_token(keyring(request), value)
    if token_id is None or not _active(request, token_id, value.split(".")[2]):
        return None
    request.state.token_id = token_id
    return token_id


def to_sign_in() -> RedirectResponse:
    """Where a request without a session is sent: the sign-in form."""
    return RedirectResponse(SIGN_IN, status_code=303)


def open_session(response: Response, request: Request, token_id: int) -> None:
    set_cookie(response, request, SESSION_COOKIE, session_value(keyring(request), token_id),
               max_age=SESSION_SECONDS)


def _end(request: Request, value: str) -> None:
    """Record the session of cookie ``value`` as ended (if it is a valid one), so the same
    cookie replayed later is refused; drop the records of sessions expired anyway."""
    import datetime as dt

    from sqlalchemy import delete

    from grantdocs.service.db import EndedSession, utcnow

    token_id = session_token(keyring(request), value)
    if token_id is None:
        return
    _token, issued, nonce, _sig = value.split(".")
    until = dt.datetime.fromtimestamp(int(issued) + SESSION_SECONDS, dt.UTC)
    with service(request).sessions() as session:
        now = utcnow()
        session.execute(delete(EndedSession).where(EndedSession.expires_at < now))
        if session.get(EndedSession, nonce) is None:
            session.add(EndedSession(nonce=nonce, token_id=token_id, ended_at=now,
                                     expires_at=until))
        session.commit()


def close_session(response: Response, request: Request) -> None:
    """Sign out: the session is ended on the server (its cookie no longer holds, even
    if it was kept), and the cookie is cleared."""
    value = request.cookies.get(SESSION_COOKIE)
    if value:
        _end(request, value)
    set_cookie(response, request, SESSION_COOKIE, "", max_age=0)
