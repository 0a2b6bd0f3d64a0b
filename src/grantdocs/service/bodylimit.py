"""413 before the body is read: an ASGI middleware in front of everything else.

A request whose ``Content-Length`` is over the limit is answered at once, without
reading a byte of its body. One without it (chunked) is counted as it streams; once it
passes the limit the route is told the client has gone, and whatever it answers is
replaced by the 413. Nothing past the limit is read. A ``Content-Length`` that is
not a number is a 400. The answer is a problem document, except on the web pages
(``/g/``, ``/app/``), which get their Norwegian 413 page (``app.state.too_large_page``).
"""

from __future__ import annotations

import json
from typing import Any

from grantdocs.service.problems import PROBLEM, problem_body

Scope = dict[str, Any]
Message = dict[str, Any]


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _answer(self, send: Any, status: int, detail: str,
                      scope: Scope | None = None) -> None:
        page = self._page(scope) if status == 413 and scope is not None else None
        if page is not None:
            headers, body = page
            headers = [(k, v) for k, v in headers if k.lower() != b"connection"]
            headers.append((b"connection", b"close"))
        else:
            body = json.dumps(problem_body(status, detail)).encode()
            headers = [(b"content-type", PROBLEM.encode()),
                       (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _page(scope: Scope) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        """The web pages' own 413 page (``app.state.too_large_page``, set by
        :func:`grantdocs.service.web.install_web`) for a path under /g/ or /app/."""
        state = getattr(scope.get("app"), "state", None)
        hook = getattr(state, "too_large_page", None)
        if hook is None:
            return None
        try:
            page: tuple[list[tuple[bytes, bytes]], bytes] | None = hook(scope)
        except Exception:  # the page failed: the plain problem document instead
            return None
        return page

    def _too_large(self) -> str:
        return (f"the request body is over the limit of {self.max_bytes / 1024 / 1024:g} MB "
                f"(GRANTDOCS_MAX_BODY_MB on the server)")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lengths = [v for k, v in scope.get("headers", []) if k.lower() == b"content-length"]
        if lengths:
            text = lengths[0].decode("latin-1").strip()
            if not text.isdigit():
                await self._answer(send, 400, "Content-Length is not a number")
                return
            if int(text) > self.max_bytes:
                await self._answer(send, 413, self._too_large(), scope)
                return
        seen = 0
        over = answered = False

        async def counted_receive() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = True  # the app sees the client gone; its answer is replaced
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal answered
            if not over:
                await send(message)
            elif not answered:
                answered = True
                await self._answer(send, 413, self._too_large(), scope)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not answered:
            await self._answer(send, 413, self._too_large(), scope)
