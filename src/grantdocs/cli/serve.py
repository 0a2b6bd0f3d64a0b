"""``grantdocs serve``: the HTTP API and the job workers, in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from grantdocs.cli.options import Choice, IntRange
from grantdocs.cli.token import service_options, service_settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (put a reverse proxy in front for other machines).")
@click.option("--port", default=8000, show_default=True, type=IntRange(0, 65535),
              help="Port to listen on.")
@service_options
@click.option("--queue-url", metavar="URL",
              help="The job queue: redis://host:6379/0. Default: SQLite in the data folder "
                   "(or GRANTDOCS_QUEUE_URL).")
@click.option("--workers", default=1, show_default=True, type=IntRange(0, 64),
              help="Job worker processes started with the server (0: none; run "
                   "`grantdocs worker` elsewhere).")
@click.option("--worker-priority", type=Choice(["idle", "low", "normal"]),
              default="idle", show_default=True, envvar="GRANTDOCS_WORKER_PRIORITY",
              help="CPU priority of the job workers, so /healthz and one-document requests "
                   "are answered first while a batch renders: idle = SCHED_IDLE (nice 19 where "
                   "refused), low = nice 19, normal = unchanged; see `grantdocs worker "
                   "--help`. With idle the synchronous render workers run as SCHED_BATCH. "
                   "Also GRANTDOCS_WORKER_PRIORITY.")
def serve(host: str, port: int, data_dir: Path, database_url: str | None,
          queue_url: str | None, workers: int, worker_priority: str) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json) and the batch workers until stopped.

    Every /api/v1 request needs a token from `grantdocs token create`. Logs are one
    JSON object per line on stderr. Ctrl-C or SIGTERM stops the server and its workers.
    """
    import os

    import uvicorn

    from grantdocs.service import logs
    from grantdocs.service.app import create_app
    from grantdocs.service.deps import job_side
    from grantdocs.service.priority import ENV
    from grantdocs.service.queue import load_huey

    # Read by the job workers (start_consumer) and the render workers as they start.
    os.environ[ENV] = worker_priority
    settings = service_settings(data_dir, database_url, queue_url)
    load_huey(settings.queue_url)  # before anything uses the queue, in this thread
    logs.configure(server=True)  # the event loop never waits on the disk for a log line
    jobs = job_side()
    consumer = jobs.start_consumer(settings, workers) if workers else None
    try:
        # uvloop and httptools (uvicorn[standard]'s, both in C): less of the server's CPU
        # per request than asyncio's loop and the pure-Python h11 parser.
        uvicorn.run(create_app(settings, jobs=jobs, configure_logs=False), host=host,
                    port=port, log_config=None, access_log=False, server_header=False,
                    loop="uvloop", http="httptools")
    finally:
        if consumer is not None:
            consumer.stop()
