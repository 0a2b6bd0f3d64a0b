"""Every error answer is ``application/problem+json`` (RFC 9457): type, title, status, detail.

A refused case (422) adds ``issues``, each with its ``field`` and ``message``, the same
list for a case the model cannot read (FastAPI's validation) as for one the scheme
forbids (:class:`grantdocs.errors.CaseRefused`). Nothing of a traceback reaches a
client: an unexpected error is a 500 with a request id that the log line also has.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM = "application/problem+json"
TYPE_BASE = "/problems/"  # a relative reference (RFC 9457 § 3.1.1): names the kind
log = logging.getLogger("grantdocs.service")

_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 406: "Not acceptable", 409: "Conflict",
           413: "Request body too large", 415: "Unsupported media type",
           422: "Unprocessable content", 429: "Too many requests",
           500: "Internal server error", 503: "Service unavailable"}


class Problem(Exception):
    """An error answer: raise it in a route, the handler writes the problem document."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or _TITLES.get(status, "error").lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = extra


def problem_body(status: int, detail: str, kind: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    kind = kind or _TITLES.get(status, "error").lower().replace(" ", "-")
    return {"type": TYPE_BASE + kind, "title": _TITLES.get(status, "Error"), "status": status,
            "detail": detail, **extra}


def problem_response(status: int, detail: str, *, kind: str | None = None,
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, detail, kind, **extra), status_code=status,
                        media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form"):
        parts = parts[1:] if parts[0] == "body" else parts
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    """The handlers that make every error a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, kind=exc.kind, headers=exc.headers,
                                **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", "")),
                   "severity": "error"} for e in exc.errors()]
        return problem_response(422, f"the request is not valid: {len(issues)} issue(s)",
                                kind="invalid-request", issues=issues)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
        return problem_response(exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", None)
        log.exception("unexpected error", extra={"request_id": request_id})
        return problem_response(500, "an unexpected error; the server's log has the details",
                                kind="internal", request_id=request_id)
