"""413 before the body is read: an ASGI middleware in front of everything else.

A request whose ``Content-Length`` is over the limit is answered at once, without
reading a byte of its body. One without it (chunked) is counted as it streams, and
answered 413 as soon as it passes the limit; what the route had read is dropped. A
``Content-Length`` that is not a number is a 400.
"""

from __future__ import annotations

import json
from typing import Any

from grantdocs.service.problems import PROBLEM, problem_body

Scope = dict[str, Any]
Message = dict[str, Any]


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _answer(self, send: Any, status: int, detail: str) -> None:
        body = json.dumps(problem_body(status, detail)).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", PROBLEM.encode()),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

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
                await self._answer(send, 413, self._too_large())
                return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message: Message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._answer(send, 413, self._too_large())
