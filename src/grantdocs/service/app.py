"""The API: ``create_app(settings)`` is the FastAPI application ``grantdocs serve`` runs.

FastAPI because its OpenAPI 3.1 comes from the same pydantic models the library
validates with (``grantdocs schema``), so the contract cannot drift from the code.

* ``GET /healthz``, ``GET /metrics``, ``GET /openapi.json``: no token;
* ``GET /api/v1/schemas/{name}``: the JSON Schema of an input (``case``, ``round``);
* ``POST /api/v1/letters`` (and the other one-case kinds): :mod:`.documents`;
* ``POST /api/v1/checklists``, ``/repayment-claims`` (a case and its returned workbook)
  and ``/stats`` (a file of decisions): :mod:`.upload_routes`;
* ``POST /api/v1/batches`` and what hangs off it: :mod:`.batches`.

Every ``/api/v1`` route but the schemas needs ``Authorization: Bearer <token>``
(``grantdocs token create``), else 401 with ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from grantdocs import __version__
from grantdocs.service import batches, documents, logs, upload_routes
from grantdocs.service.bodylimit import BodyLimit
from grantdocs.service.db import open_database
from grantdocs.service.deps import Jobs, Service, job_side, service
from grantdocs.service.metrics import Metrics
from grantdocs.service.problems import install
from grantdocs.service.rendering import RenderPool
from grantdocs.service.settings import ServiceSettings
from grantdocs.service.web import install_web


def _count(scope: dict[str, Any], status: int) -> None:
    """Count an answer in ``grantdocs_http_requests_total{method, status}``."""
    state = getattr(scope["app"].state, "service", None)
    if state is not None:
        state.metrics.requests.labels(scope["method"], str(status)).inc()


def create_app(settings: ServiceSettings, *, jobs: Jobs | None = None,
               configure_logs: bool = True) -> FastAPI:
    """The application; the database is migrated and the render workers warmed as it starts."""
    if configure_logs:
        logs.configure(server=True)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.prepare()
        settings.adopt_key()  # before the render workers start: they inherit it
        engine, sessions = open_database(settings.database_url)
        pool = RenderPool(settings.render_workers, build=settings.warm_up)
        side = jobs or job_side()
        state = Service(settings, engine, sessions, pool, Metrics(
            lambda: state.queue_depth(), lambda: state.batch_counts()), side)
        app.state.service = state
        await asyncio.get_running_loop().run_in_executor(None, pool.warm)
        # Everything imported and built so far lives as long as the server: moved out of
        # the collector's reach, so a full collection never walks it while a request waits
        # (such pauses were the worst /healthz times of bench/service.py).
        gc.collect()
        gc.freeze()
        logs.access.info("started", extra={"data": str(settings.data_dir),
                                           "render_workers": pool.workers})
        try:
            yield
        finally:
            pool.close()
            engine.dispose()

    app = FastAPI(title="grantdocs", version=__version__, lifespan=lifespan,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None,
                  summary="Norwegian grant documents (letters, report templates, workbooks) "
                          "in Bokmål and Nynorsk, as PDF/A, DOCX, XLSX and HTML.")
    install(app)

    # Plain ASGI middlewares (no BaseHTTPMiddleware and its task per request), outermost
    # last: the security headers (install_web), the body limit, the access log and metrics.
    app.add_middleware(logs.AccessLog, count=_count)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

    @app.get("/healthz", tags=["service"], summary="Liveness: 200 while the server answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", tags=["service"], summary="Prometheus metrics",
             response_class=Response)
    def metrics(request: Request) -> Response:
        return Response(generate_latest(service(request).metrics.registry),
                        media_type=CONTENT_TYPE_LATEST)

    app.include_router(documents.router)
    app.include_router(upload_routes.router)
    app.include_router(batches.router)
    install_web(app)  # the pages under /g/ and /app/, after the problem handlers (install)
    return app
