"""Batch jobs: what the API calls to start one, and what the workers run.

A batch goes through the queue (:mod:`grantdocs.service.queue`) in two steps:

1. the *plan* task reads the upload and splits its valid records into chunks
   (:mod:`grantdocs.service.plan`);
2. one *chunk* task per chunk renders it through the engine
   (:func:`grantdocs.products.run_batch`) into its own folder under a lease
   (:mod:`grantdocs.service.chunks`); the last one to finish writes the merged
   manifest and ``files.zip`` (:mod:`grantdocs.service.assemble`).

Everything a worker needs to go on after a crash is in the database and the data
folder; the queue only says "look at this now". So any number of ``grantdocs
worker`` processes, on this machine or others that share the data folder, the
database and (with ``--queue-url redis://...``) the queue, work on one batch.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from grantdocs.service.consumer import WorkerProcess
from grantdocs.service.context import (
    Context,
    Timings,
    batch_folder,
    default_worker_name,
)
from grantdocs.service.queue import Queue, check_queue_url, load_huey
from grantdocs.service.settings import ServiceSettings

if TYPE_CHECKING:
    from huey.consumer import Consumer

log = logging.getLogger("grantdocs.service.jobs")

__all__ = [
    "batch_folder", "context", "queue_depth", "run_worker", "start_consumer", "submit_batch",
]

#: Imported before the worker processes fork, so the first chunk starts warm.
PRELOAD = ("grantdocs.products", "grantdocs.render.document", "grantdocs.writers.pdf",
           "grantdocs.writers.docx", "grantdocs.service.plan", "grantdocs.service.chunks",
           "grantdocs.service.assemble")

_CONTEXTS: dict[tuple[int, Path, str, str | None], Context] = {}
_WORKER_NAME: list[str] = []


def context(settings: ServiceSettings) -> Context:
    """This process's context for ``settings`` (made on first use, again after a fork)."""
    key = (os.getpid(), settings.data_dir, settings.database_url, settings.queue_url)
    ctx = _CONTEXTS.get(key)
    if ctx is None:
        from grantdocs.service.db import engine_for, session_factory

        for old in [k for k in _CONTEXTS if k[0] != os.getpid()]:
            _CONTEXTS.pop(old).engine.dispose(close=False)  # the parent's connections
        engine = engine_for(settings.database_url)
        env = settings.environ or os.environ
        queue = Queue(settings, plan=lambda batch_id: _plan(settings, batch_id),
                      chunk=lambda batch_id, number: _chunk(settings, batch_id, number))
        ctx = Context(settings, engine, session_factory(engine), queue, Timings.from_env(env),
                      _WORKER_NAME[0] if _WORKER_NAME else default_worker_name())
        _CONTEXTS[key] = ctx
    return ctx


def _plan(settings: ServiceSettings, batch_id: str) -> None:
    from grantdocs.service.assemble import assemble
    from grantdocs.service.plan import plan_batch

    ctx = context(settings)
    log.info("batch %s: planning (worker %s)", batch_id, ctx.worker)
    numbers = plan_batch(ctx, batch_id)
    log.info("batch %s: planned, %d chunks (worker %s)", batch_id, len(numbers), ctx.worker)
    for number in numbers:
        ctx.queue.chunk(batch_id, number)
    if not numbers:
        assemble(ctx, batch_id)  # nothing valid to render: the zip holds the manifest


def _chunk(settings: ServiceSettings, batch_id: str, number: int) -> None:
    from grantdocs.service.chunks import run_chunk

    run_chunk(context(settings), batch_id, number)


def submit_batch(settings: ServiceSettings, batch_id: str) -> None:
    """Queue a batch whose row (status ``queued``) and upload (under
    ``batch_folder()/input/``) are committed. Returns at once: nothing is read here."""
    context(settings).queue.plan(batch_id)


def queue_depth(settings: ServiceSettings) -> int:
    """Tasks waiting in the queue (for 429 and ``/metrics``)."""
    return context(settings).queue.depth()


def sweep(settings: ServiceSettings) -> int:
    """Enqueue again what dead workers and lost tasks left (see :mod:`.chunks`)."""
    from grantdocs.service.chunks import sweep as sweep_chunks

    ctx = context(settings)
    return sweep_chunks(ctx, ctx.queue.chunk, ctx.queue.plan)


def _consumer(settings: ServiceSettings, workers: int, name: str | None) -> Consumer:
    from grantdocs.service.consumer import make_consumer

    _WORKER_NAME[:] = [name or default_worker_name()]
    ctx = context(settings)
    return make_consumer(ctx.queue.huey, workers, lambda: sweep(settings),
                         ctx.timings.sweep)


def run_worker(settings: ServiceSettings, workers: int, name: str | None = None, *,
               priority: str = "normal") -> None:
    """``grantdocs worker`` in the foreground: ``workers`` processes until SIGINT/SIGTERM.

    ``priority`` is what :func:`grantdocs.service.priority.lower_batch_worker` applied
    (the caller lowers the process before this forks the workers); it is logged."""
    from grantdocs.service import logs
    from grantdocs.service.consumer import run_consumer
    from grantdocs.service.db import migrate

    logs.configure(logging.WARNING)  # JSON lines, like the server's: warnings of every
    for logger in ("grantdocs", "huey"):  # library, and our own progress
        logging.getLogger(logger).setLevel(logging.INFO)
    load_huey(check_queue_url(settings.queue_url))  # before anything is made
    settings.prepare()
    settings.adopt_key()  # before the workers fork: they sign with the service's key
    migrate(settings.database_url)
    for module in PRELOAD if settings.warm_up else ():  # once, before the workers fork:
        importlib.import_module(module)  # they start warm (else each at its first chunk)
    parent = os.environ.get("GRANTDOCS_WORKER_PARENT", "")
    logging.getLogger("grantdocs.service.worker").info(
        "worker started", extra={"workers": workers, "priority": priority})
    run_consumer(_consumer(settings, workers, name),
                 watch_parent=int(parent) if parent.isdigit() else None)


def start_consumer(settings: ServiceSettings, workers: int,
                   priority: str | None = None) -> WorkerProcess:
    """Start ``workers`` job workers for ``grantdocs serve`` (a child process); ``.stop()``.

    The URLs go to the child in its environment, not on its command line (``ps``
    shows command lines to every user of the machine). The child lowers its CPU
    priority (``priority``, else ``GRANTDOCS_WORKER_PRIORITY``, else ``idle``: see
    :mod:`grantdocs.service.priority`): bulk rendering yields the cores to the API
    process, so ``/healthz`` and one-letter requests are answered while a batch renders
    on the same cores.
    """
    from grantdocs.service.priority import configured

    env = {"GRANTDOCS_DATABASE_URL": settings.database_url}
    if settings.queue_url:
        env["GRANTDOCS_QUEUE_URL"] = settings.queue_url
    chosen = priority or configured(settings.environ or os.environ)
    return WorkerProcess(["--data", str(settings.data_dir), "--workers", str(workers),
                          "--priority", chosen], env)
