"""A stand-in for the job side (grantdocs.service.jobs) until it is on main: tests only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from grantdocs.service.app import create_app
from grantdocs.service.db import Batch, engine_for, session_factory
from grantdocs.service.settings import ServiceSettings


class StandInJobs:
    def batch_folder(self, data_dir: Path, batch_id: str) -> Path:
        return data_dir / "batches" / batch_id

    def submit_batch(self, settings: ServiceSettings, batch_id: str) -> None:
        pass

    def queue_depth(self, settings: ServiceSettings) -> int:
        with session_factory(engine_for(settings.database_url))() as session:
            return int(session.scalar(select(func.count()).select_from(Batch)
                                      .where(Batch.status == "queued")) or 0)

    def start_consumer(self, settings: ServiceSettings, workers: int) -> Any:
        return None


def make_app() -> FastAPI:
    return create_app(ServiceSettings.build(os.environ["GRANTDOCS_TEST_DATA"]),
                      jobs=StandInJobs())
