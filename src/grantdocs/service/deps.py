"""What every route depends on: the service's state, and the bearer token check."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from grantdocs.service.db import Batch
from grantdocs.service.metrics import Metrics
from grantdocs.service.problems import Problem
from grantdocs.service.rendering import RenderPool
from grantdocs.service.settings import ServiceSettings


class Jobs(Protocol):
    """What the API needs of the job side (:mod:`grantdocs.service.jobs`)."""

    def submit_batch(self, settings: ServiceSettings, batch_id: str) -> None: ...

    def queue_depth(self, settings: ServiceSettings) -> int: ...

    def batch_folder(self, data_dir: Path, batch_id: str) -> Path: ...

    def start_consumer(self, settings: ServiceSettings, workers: int) -> Any:
        """Job workers for ``grantdocs serve``, in their own process(es); ``.stop()``."""


def job_side() -> Jobs:
    """:mod:`grantdocs.service.jobs`, imported when first needed (it brings Huey)."""
    module: Any = importlib.import_module("grantdocs.service.jobs")
    return module  # type: ignore[no-any-return]


@dataclass
class Service:
    """What the routes share: settings, the database, the render pool, metrics, the jobs."""

    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    pool: RenderPool
    metrics: Metrics
    jobs: Jobs

    def queue_depth(self) -> int:
        return self.jobs.queue_depth(self.settings)

    def batch_counts(self) -> tuple[dict[str, int], int]:
        with self.sessions() as session:
            rows = session.execute(select(Batch.status, func.count(), func.sum(Batch.written))
                                   .group_by(Batch.status)).all()
        return {r[0]: int(r[1]) for r in rows}, sum(int(r[2] or 0) for r in rows)


def service(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


_bearer = HTTPBearer(auto_error=False, description="A token from `grantdocs token create`.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> int:
    """The id of the request's token; 401 with ``WWW-Authenticate: Bearer`` if none works."""
    from grantdocs.service.tokens import token_id_for

    challenge = 'Bearer realm="grantdocs"'
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "send 'Authorization: Bearer <token>' (grantdocs token create)",
                      kind="no-token", headers={"WWW-Authenticate": challenge})
    with service(request).sessions() as session:
        token_id = token_id_for(session, credentials.credentials)
    if token_id is None:
        raise Problem(401, "the token is not known or was revoked", kind="bad-token",
                      headers={"WWW-Authenticate": challenge + ', error="invalid_token"'})
    request.state.token_id = token_id
    return token_id
