"""A rate limit per client address, for the grantee links: ``Depends(link_limit)``.

A sliding window of one minute, in memory (one server process: a deployment with
several puts the limit in its reverse proxy too). Each client address has the times of
its requests of the last minute; one more than ``per_minute`` is answered 429 with
``Retry-After`` (the seconds until the oldest leaves the window): the Norwegian page
under ``/g/`` and ``/app/``, a problem document under ``/api/``. The address is
``request.client.host``; with ``GRANTDOCS_TRUST_PROXY=1``, the last address of
``X-Forwarded-For`` (the one the proxy added).

:data:`link_limit` reads ``GRANTDOCS_LINK_RATE`` (requests per minute, 60) from the
service's environment at its first request. The windows live on the application, so
two apps in one process (tests) do not share them.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from fastapi import Request

from grantdocs.errors import ConfigError
from grantdocs.service.web.security import PageError, environ

WINDOW = 60.0
MAX_CLIENTS = 10_000  # addresses remembered at once; the longest idle is forgotten first


def client_address(request: Request) -> str:
    if environ(request).get("GRANTDOCS_TRUST_PROXY", "").strip() == "1":
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.client.host if request.client else "unknown"


def _rate(text: str, variable: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{variable}={text!r}: expected a positive whole number "
                          "(requests per minute)")
    return value


class RateLimit:
    """At most ``per_minute`` requests a minute from one address (else 429).

    ``per_minute=None`` reads it from the environment variable ``variable`` (``default``
    when unset), once per application.
    """

    def __init__(self, per_minute: int | None = None, *, name: str = "",
                 variable: str = "GRANTDOCS_LINK_RATE", default: int = 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.name = name or variable
        self.variable = variable
        self.default = default
        self.clock = clock

    def limit(self, request: Request) -> int:
        if self.per_minute is not None:
            return self.per_minute
        limits: dict[str, int] = _on_app(request, "rate_limits")
        if self.name not in limits:
            text = environ(request).get(self.variable, "").strip()
            limits[self.name] = _rate(text, self.variable) if text else self.default
        return limits[self.name]

    async def __call__(self, request: Request) -> None:
        limit = self.limit(request)
        windows: dict[str, OrderedDict[str, deque[float]]] = _on_app(
            request, "rate_windows")
        clients = windows.setdefault(self.name, OrderedDict())
        address = client_address(request)
        now = self.clock()
        times = clients.pop(address, None) or deque()
        clients[address] = times  # the most recent at the end
        while times and times[0] <= now - WINDOW:
            times.popleft()
        while len(clients) > MAX_CLIENTS:
            clients.popitem(last=False)
        if len(times) >= limit:
            wait = max(1, math.ceil(times[0] + WINDOW - now))
            raise PageError(429, headers={"Retry-After": str(wait)})
        times.append(now)


def _on_app(request: Request, name: str) -> Any:
    """A dict kept on the application's state under ``name`` (made at first use)."""
    found = getattr(request.app.state, name, None)
    if found is None:
        found = {}
        setattr(request.app.state, name, found)
    return found


link_limit = RateLimit(name="links")
"""The limit of every ``/g/`` route and of the grantee-link API (``GRANTDOCS_LINK_RATE``)."""
