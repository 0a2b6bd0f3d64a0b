"""The web pages of ``grantdocs serve``: a grantee's own link (``/g/``) and the
caseworker's pages (``/app/``), server-rendered, working without JavaScript.

:func:`install_web` mounts everything on the API's application (one call in
:func:`grantdocs.service.app.create_app`): the routers of :mod:`.grantee` and
:mod:`.app_pages` (each skipped while it is not there), the static files at
``/static/``, the security headers (:mod:`.security`) and the HTML error pages: an
error on a ``/g/`` or ``/app/`` path (403, 404, 410, 429, an unexpected 500 ...) is a
short page in Norwegian (``templates/web/error.html``), while ``/api/`` keeps its
problem documents (:mod:`grantdocs.service.problems`).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from grantdocs.resources import FONTS_DIR
from grantdocs.service.problems import Problem
from grantdocs.service.web.pages import LANGS, Lang, render_page, words
from grantdocs.service.web.security import PageError, SecurityHeaders, add_headers, is_web_path

STATIC_DIR = Path(__file__).resolve().parent / "static"
ROUTERS = ("grantee", "app_pages")
log = logging.getLogger("grantdocs.service")

Handler = Any  # an exception handler: (Request, Exception) -> Response (maybe awaitable)


def install_web(app: FastAPI) -> None:
    """Mount the pages, their static files, headers and error pages on ``app``.

    Call it after :func:`grantdocs.service.problems.install`: the error pages answer
    for ``/g/`` and ``/app/`` and hand every other path to the handlers it installed.
    """
    for name in ROUTERS:
        module_name = f"{__name__}.{name}"
        if importlib.util.find_spec(module_name) is not None:
            app.include_router(importlib.import_module(module_name).router)
    # the letters' own font (Noto Sans, as the package ships it), so a page looks the same
    # on every machine; before /static, which would otherwise answer for it
    app.mount("/static/fonts", StaticFiles(directory=FONTS_DIR), name="fonts")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
    _install_error_pages(app)
    app.state.too_large_page = too_large_page  # for grantdocs.service.bodylimit


def _body_lang(request: Request) -> Lang:
    """The written form of a 413 page: the link's on /g/, the caseworker's on /app/."""
    path = request.url.path
    try:
        if path.startswith("/g/"):
            from grantdocs.service.deps import service
            from grantdocs.service.web import links
            from grantdocs.service.web.security import keyring

            token = path.split("/")[2]
            if links.token_id(keyring(request), token) is None:
                return "nb"
            found = links.resolve(service(request), token, keyring(request))
            return "nn" if found.lang == "nn" else "nb"
        from grantdocs.service.web.app_session import caseworker_lang

        return caseworker_lang()
    except Exception:  # no link, no database: the default written form
        return "nb"


def too_large_page(scope: dict[str, Any]) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
    """The Norwegian 413 page (headers, body) for a body over ``GRANTDOCS_MAX_BODY_MB`` on
    ``/g/`` or ``/app/``, in the link's or the caseworker's written form; None for any
    other path (the API keeps its problem document). Called by the body limit, which
    answers before any route is reached."""
    request = Request(scope)
    if not is_web_path(request.url.path):
        return None
    request.state.lang = _body_lang(request)
    response = error_page(request, 413)
    return list(response.raw_headers), bytes(response.body)


def page_lang(request: Request, exc: Exception | None = None) -> Lang:
    """The written form of an error page: the error's, the request's, else Bokmål."""
    for lang in (getattr(exc, "lang", None), getattr(request.state, "lang", None)):
        if lang in LANGS:
            return lang  # type: ignore[no-any-return]
    return "nb"


def _kind(request: Request, status: int, exc: Exception | None) -> str:
    """The ``[errors]`` table of the page's text."""
    errors = words("nb")["errors"]
    kind = getattr(exc, "kind", None)
    if isinstance(kind, str) and kind in errors:
        return kind
    if request.url.path.startswith("/g/"):
        link_kinds = {403: "link_invalid", 404: "link_unknown", 410: "link_gone"}
        if status in link_kinds:
            return link_kinds[status]
    return str(status) if str(status) in errors else "other"


def error_page(request: Request, status: int, exc: Exception | None = None, *,
               headers: dict[str, str] | None = None) -> Response:
    """The Norwegian error page for ``status`` (the text picked by :func:`_kind`)."""
    retry = (headers or {}).get("Retry-After", "")
    try:
        response: Response = render_page(
            request, "error.html", page_lang(request, exc), status=status,
            code=status, kind=_kind(request, status, exc),
            retry_after=retry, request_id=getattr(request.state, "request_id", None) or "",
            home="/app/" if not request.url.path.startswith("/g/") else "")
    except Exception:  # the page itself failed: say so plainly, never a traceback
        log.exception("the error page could not be rendered")
        response = PlainTextResponse(str(status), status_code=status)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    add_headers(response, request.url.path)
    return response


def _install_error_pages(app: FastAPI) -> None:
    handlers: dict[Any, Handler] = dict(app.exception_handlers)

    async def _delegate(key: Any, request: Request, exc: Exception) -> Response:
        handler = handlers.get(key)
        if handler is None:
            raise exc
        result = handler(request, exc)
        if hasattr(result, "__await__"):
            result = await result
        return result  # type: ignore[no-any-return]

    async def _http(request: Request, exc: Exception) -> Response:
        if not is_web_path(request.url.path):
            return await _delegate(StarletteHTTPException, request, exc)
        assert isinstance(exc, StarletteHTTPException)
        return error_page(request, exc.status_code, exc, headers=dict(exc.headers or {}))

    async def _problem(request: Request, exc: Exception) -> Response:
        if not is_web_path(request.url.path):
            return await _delegate(Problem, request, exc)
        assert isinstance(exc, Problem)
        return error_page(request, exc.status, exc, headers=exc.headers)

    async def _invalid(request: Request, exc: Exception) -> Response:
        if not is_web_path(request.url.path):
            return await _delegate(RequestValidationError, request, exc)
        return error_page(request, 400, exc)

    async def _unexpected(request: Request, exc: Exception) -> Response:
        if not is_web_path(request.url.path):
            return await _delegate(Exception, request, exc)
        log.exception("unexpected error", extra={
            "request_id": getattr(request.state, "request_id", None)})
        return error_page(request, 500, exc)

    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(PageError, _http)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)


__all__ = ["PageError", "error_page", "install_web", "page_lang"]
