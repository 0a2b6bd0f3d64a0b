"""A light application for the web foundation's tests: the problem handlers, the pages'
headers, error pages and static files (:func:`grantdocs.service.web.install_web`), and a
few routes that exist only here (a form behind the CSRF check, a route behind a rate
limit, one that fails), with no database, render workers or job queue; and ``server``, the
real server the other tests of this folder use (:func:`tests.web.app_support.web_server`,
the browser tests' too)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from grantdocs.keys import SAMPLE_KEY, Keyring
from grantdocs.service import logs
from grantdocs.service.problems import install
from grantdocs.service.web import PageError, install_web
from grantdocs.service.web.ratelimit import RateLimit
from grantdocs.service.web.security import csrf_token, require_csrf, set_csrf_cookie
from tests.service.conftest import Server
from tests.web.app_support import web_server


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def light_app(clock: Callable[[], float] | None = None) -> FastAPI:
    app = FastAPI()
    install(app)
    app.add_middleware(logs.AccessLog)
    app.state.web_keyring = Keyring.from_text(SAMPLE_KEY)
    limited = RateLimit(3, name="test", clock=clock or Clock())

    @app.get("/app/test/form")
    def form(request: Request) -> PlainTextResponse:
        response = PlainTextResponse(csrf_token(request))
        set_csrf_cookie(response, request)
        return response

    @app.post("/app/test/form", dependencies=[Depends(require_csrf)])
    async def posted(request: Request) -> PlainTextResponse:
        return PlainTextResponse("accepted")

    @app.get("/g/test/limited", dependencies=[Depends(limited)])
    def limited_page() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/api/test/limited", dependencies=[Depends(limited)])
    def limited_api() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/g/test/gone")
    def gone(request: Request, lang: str = "", state_lang: str = "") -> None:
        if state_lang:
            request.state.lang = state_lang
        raise PageError(410, kind="link_gone", lang=lang or None)

    @app.get("/app/test/boom")
    @app.get("/api/test/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/app/test/needs")
    def needs(count: int) -> PlainTextResponse:
        return PlainTextResponse(str(count))

    install_web(app)
    return app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(clock: Clock) -> TestClient:
    return TestClient(light_app(clock), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with web_server(tmp_path_factory) as running:
        yield running
