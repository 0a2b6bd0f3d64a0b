"""What every job body needs: the settings, the database, the queue, the worker's name.

One :class:`Context` per process (and per settings), made on first use: worker
processes are forked by Huey, so nothing here is made before the fork.

The job timings are environment variables, like the service's limits:

* ``GRANTDOCS_CHUNK_SIZE`` (20): records per chunk, the unit one worker renders;
* ``GRANTDOCS_LEASE_SECONDS`` (60): how long a chunk stays claimed without a
  heartbeat (renewed every third of it while it runs) before the sweep gives it
  to another worker;
* ``GRANTDOCS_REQUEUE_SECONDS`` (300): how long a queued chunk or batch may wait
  before the sweep enqueues it again (its task may have been lost with a worker
  killed just after taking it; a task that arrives twice does nothing);
* ``GRANTDOCS_SWEEP_SECONDS`` (5): how often each worker looks for such work.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from grantdocs.errors import ConfigError
from grantdocs.service.queue import Queue
from grantdocs.service.settings import ServiceSettings

#: A chunk whose worker crashed this many times is given up: its records fail.
MAX_ATTEMPTS = 3


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def batch_folder(data_dir: Path, batch_id: str) -> Path:
    """``<data>/batches/<id>/``: ``input/`` (the upload, each chunk's records),
    ``chunks/NNNN/`` (each chunk's output folder) and ``files.zip``."""
    if not batch_id.isalnum():
        raise ValueError(f"not a batch id: {batch_id!r}")
    return data_dir / "batches" / batch_id


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ConfigError(f"{name}={text!r}: expected a positive number of seconds")
    return value


@dataclass(frozen=True)
class Timings:
    chunk_size: int = 20
    lease: float = 60.0
    requeue: float = 300.0
    sweep: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Timings:
        return cls(chunk_size=max(1, int(_seconds(env, "GRANTDOCS_CHUNK_SIZE", 20))),
                   lease=_seconds(env, "GRANTDOCS_LEASE_SECONDS", 60.0),
                   requeue=_seconds(env, "GRANTDOCS_REQUEUE_SECONDS", 300.0),
                   sweep=_seconds(env, "GRANTDOCS_SWEEP_SECONDS", 5.0))


@dataclass
class Context:
    """The process's view of the service: database sessions, the queue, who it is."""

    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Any]
    queue: Queue
    timings: Timings
    worker: str

    def folder(self, batch_id: str) -> Path:
        return batch_folder(self.settings.data_dir, batch_id)

    def lease_until(self, seconds: float | None = None) -> dt.datetime:
        return utcnow() + dt.timedelta(seconds=self.timings.lease if seconds is None else seconds)


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"
