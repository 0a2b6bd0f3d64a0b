"""``grantdocs worker``: job workers for ``grantdocs serve``, here or on another machine."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from grantdocs.cli.options import Choice, IntRange, PathType


@click.command("worker")
@click.option("--data", "data_dir", type=PathType(file_okay=False, path_type=Path),
              default=None, metavar="DIR",
              help="The service's data folder, shared with serve (default: ./grantdocs-data).")
@click.option("--database-url", metavar="URL", default=None,
              help="The service's database (default: SQLite in the data folder; "
                   "or GRANTDOCS_DATABASE_URL), e.g. postgresql+psycopg://user@host/grantdocs.")
@click.option("--queue-url", metavar="URL", default=None,
              help="The job queue (default: SQLite in the data folder; or "
                   "GRANTDOCS_QUEUE_URL), e.g. redis://host:6379/0 for workers on many machines.")
@click.option("--workers", type=IntRange(1, 64), default=1, show_default=True,
              help="Worker processes; each renders one chunk of a batch at a time.")
@click.option("--name", default=None, metavar="NAME",
              help="The name recorded on each chunk this worker runs (default: HOST-PID).")
@click.option("--priority", type=Choice(["idle", "low", "normal"]), default="idle",
              show_default=True, envvar="GRANTDOCS_WORKER_PRIORITY",
              help="CPU priority of this worker and the processes that render, so that an API "
                   "on the same machine answers first while batches render: idle = Linux "
                   "SCHED_IDLE at nice 19 (they run when no normal process wants the core; "
                   "nice 19 alone where SCHED_IDLE is refused), low = nice 19, normal = "
                   "unchanged (a machine that only renders and must not wait for other work). "
                   "Also GRANTDOCS_WORKER_PRIORITY.")
@click.option("--nice", type=IntRange(0, 19), default=0, hidden=True,
              help="Raise the nice value by this much as well (kept for old scripts).")
def worker(data_dir: Path | None, database_url: str | None, queue_url: str | None,
           workers: int, name: str | None, priority: str, nice: int) -> None:
    """Run batch jobs from the queue until stopped (Ctrl-C or SIGTERM).

    Any number of workers may share one batch: on one machine they share the data
    folder's SQLite database and queue; on many, a PostgreSQL database, a Redis
    queue and a shared data folder. A worker killed mid-batch loses nothing: its
    chunks are taken over when their lease runs out, and each output is made once.
    """
    import os

    from grantdocs.service.jobs import run_worker
    from grantdocs.service.priority import Priority, lower_batch_worker
    from grantdocs.service.settings import ServiceSettings

    if nice:
        os.nice(nice)
    # Before the workers fork, so every rendering process inherits it.
    applied = lower_batch_worker(cast("Priority", priority))
    run_worker(ServiceSettings.build(data_dir, database_url, queue_url), workers, name,
               priority=applied)
