"""The memory limit of a worker process: an address-space limit (``RLIMIT_AS``).

A record whose rendering would need more memory than the limit fails alone
(Python raises MemoryError, or the worker dies and is replaced), instead of
taking the machine's memory. The default, 2 GiB per worker, is about ten
times what a long letter needs; set ``GRANTDOCS_WORKER_MEMORY_MB`` to change
it (``0``: no limit). Only worker processes are limited (``--jobs`` 2 or more);
a run in one process (``-j1``) is not.
"""

from __future__ import annotations

import os

from grantdocs import messages_cli as C
from grantdocs.errors import ConfigError

MEMORY_ENV = "GRANTDOCS_WORKER_MEMORY_MB"
DEFAULT_MEMORY_MB = 2048
_MIN_MEMORY_MB = 256  # below this a worker cannot even hold the renderer


def worker_memory_limit() -> int | None:
    """The address-space limit of each worker in bytes (None: no limit), from the environment."""
    raw = os.environ.get(MEMORY_ENV, "").strip()
    if not raw:
        return DEFAULT_MEMORY_MB << 20
    try:
        megabytes = int(raw)
    except ValueError:
        megabytes = -1
    if megabytes == 0:
        return None
    if megabytes < _MIN_MEMORY_MB:
        raise ConfigError(C.MEMORY_LIMIT(variable=MEMORY_ENV, value=repr(raw),
                                         minimum=_MIN_MEMORY_MB, default=DEFAULT_MEMORY_MB))
    return megabytes << 20


def memory_message() -> str:
    """What a record that ran out of the worker's memory says in the manifest."""
    limit = worker_memory_limit()
    size = f"{limit >> 20} MB" if limit else "no limit"
    return (f"rendering it needs more memory than a worker may use ({size}); check this "
            f"record's text and lists, or raise {MEMORY_ENV}")


def limit_worker_memory() -> None:
    """Apply the limit to this (worker) process; a lower hard limit is kept."""
    limit = worker_memory_limit()
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    if limit is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
