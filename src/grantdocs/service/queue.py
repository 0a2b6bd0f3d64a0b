"""The job queue: one Huey instance per queue URL, and the names of the tasks on it.

Without a queue URL the queue is Huey on SQLite at ``<data>/queue.db``: no server,
every worker on this machine. With ``redis://HOST:PORT/DB`` it is Huey on Redis, and
``grantdocs worker`` processes on other machines take work from the same queue.

Huey removes a task from the queue when a worker takes it (it acknowledges on
dequeue), so a worker killed mid-task loses the task. The queue is therefore only
a wake-up call: what has to be done lives in the database (a chunk row with a
lease, see :mod:`grantdocs.service.jobs`), and a lost task is enqueued again by the
sweep when its lease runs out. A task that arrives twice finds its chunk claimed
or done and does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from grantdocs.errors import ConfigError

if TYPE_CHECKING:
    from huey import Huey

QUEUE_NAME = "grantdocs"
PLAN_TASK = "grantdocs.plan_batch"
CHUNK_TASK = "grantdocs.run_chunk"


class QueueSettings(Protocol):
    """What the queue needs of :class:`~grantdocs.service.settings.ServiceSettings`."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def queue_url(self) -> str | None: ...


def queue_file(settings: QueueSettings) -> Path:
    return settings.data_dir / "queue.db"


def check_queue_url(url: str | None) -> str | None:
    """The queue URL if it is one Huey can use (Redis), else a ConfigError saying so."""
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"queue URL {url!r}: use redis://HOST:PORT/DB, or no URL for "
                          "the queue in the data folder")
    return url


#: What ``huey.storage`` imports as it loads when installed, for queues on Redis and on
#: PostgreSQL: about 0.3 CPU-seconds of each start of ``grantdocs serve`` and ``grantdocs
#: worker``, of no use to a queue in SQLite (and Huey's PostgreSQL queue is never used).
_OTHER_QUEUES = ("redis", "psycopg")


def load_huey(url: str | None) -> None:
    """Import Huey for this process's queue: on Redis (``url``) or in the data folder (None),
    then without the clients of the other queues (``import redis`` fails while Huey loads,
    as if not installed; importable again right after).

    Only for a process whose queue is fixed as it starts, before Huey is first used, in
    its main thread: ``grantdocs serve`` and ``grantdocs worker``. Anywhere else (the
    library, tests) Huey is imported whole when a queue is first made (:func:`make_huey`).
    """
    if "huey.storage" in sys.modules:
        return
    hidden = [name for name in _OTHER_QUEUES
              if name not in sys.modules and not (url and name == "redis")]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails
    try:
        import huey.storage  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def make_huey(settings: QueueSettings) -> Huey:
    """A Huey instance on the settings' queue (SQLite in the data folder, or Redis).

    No results are stored: the state of every job is in the database.
    """
    url = check_queue_url(settings.queue_url)
    from huey import RedisHuey, SqliteHuey

    if url:
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(queue_file(settings)), results=False)


Body = Callable[..., None]


class Queue:
    """The Huey instance and its two tasks: plan a batch, run one chunk of it.

    The bodies are given by the jobs module, so the queue knows no job and the
    jobs module imports the queue, not the other way round.
    """

    def __init__(self, settings: QueueSettings, plan: Body, chunk: Body) -> None:
        self.huey = make_huey(settings)
        self._plan: Any = self.huey.task(name=PLAN_TASK)(plan)
        self._chunk: Any = self.huey.task(name=CHUNK_TASK)(chunk)

    def plan(self, batch_id: str) -> None:
        self._plan(batch_id)

    def chunk(self, batch_id: str, number: int) -> None:
        self._chunk(batch_id, number)

    def depth(self) -> int:
        """Tasks waiting in the queue (not those running)."""
        return int(self.huey.pending_count())
