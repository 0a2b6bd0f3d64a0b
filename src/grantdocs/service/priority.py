"""CPU priority of the service's processes: the API answers first, rendering takes the rest.

On a machine that both answers HTTP and renders batches, every core may be busy
rendering when a request (``/healthz``, one letter) arrives. Each batch worker then
lowers its own priority (``GRANTDOCS_WORKER_PRIORITY``, ``grantdocs worker
--priority``, ``grantdocs serve --worker-priority``), before it forks the processes
that render, which inherit it:

* ``idle`` (the default): Linux's ``SCHED_IDLE``: the smallest share of the CPU there is
  (a weight of 3 against nice 19's 15 and nice 0's 1024), the kernel preempts such a
  process for any normal one that wakes up, and it counts a core that runs only
  ``SCHED_IDLE`` work as free when it places a waking process. The niceness is raised to
  19 as well, which is all that is left where ``SCHED_IDLE`` does not exist or is refused.
* ``low``: nice 19 only (``SCHED_OTHER``).
* ``normal``: no change (a machine that only renders, or a worker that must not wait
  for other work of the machine).

The synchronous render workers of the API (:class:`~grantdocs.service.rendering.RenderPool`)
render for a client that waits: they keep the server's share of the CPU (their own
letter stays as fast as in process), but with ``idle`` they run as ``SCHED_BATCH``, so
that their own wake-ups never preempt the server's event loop (a waking ``SCHED_BATCH``
process waits for the next tick instead). With ``low`` and ``normal`` they are left as
the server made them. The server itself is never lowered.

The cost of ``idle``: on a machine whose cores are kept busy by other normal work, a
batch waits until they are free (at nice 19 it would still get a sliver of a core), and
a worker that is preempted while it holds a lock of the SQLite database makes the
server wait with it. Give such machines ``low``, or workers of their own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from typing import Literal

Priority = Literal["idle", "low", "normal"]
PRIORITIES: tuple[Priority, ...] = ("idle", "low", "normal")
DEFAULT: Priority = "idle"
ENV = "GRANTDOCS_WORKER_PRIORITY"
LOW_NICE = 19


def configured(environ: Mapping[str, str] | None = None) -> Priority:
    """The priority named by ``GRANTDOCS_WORKER_PRIORITY`` (the default if unset or unknown)."""
    text = (os.environ if environ is None else environ).get(ENV, "").strip().lower()
    for priority in PRIORITIES:
        if text == priority:
            return priority
    return DEFAULT


def _raise_nice(to: int) -> None:
    with contextlib.suppress(OSError):
        current = os.getpriority(os.PRIO_PROCESS, 0)
        if current < to:
            os.setpriority(os.PRIO_PROCESS, 0, to)


def _set_policy(name: str) -> bool:
    policy = getattr(os, name, None)
    setter = getattr(os, "sched_setscheduler", None)
    if policy is None or setter is None:  # not Linux
        return False
    try:
        setter(0, policy, os.sched_param(0))
    except OSError:  # refused (a sandbox's seccomp filter, an old kernel)
        return False
    return True


def lower_batch_worker(priority: Priority) -> str:
    """Lower this process (and what it forks or spawns after) for batch rendering.

    Returns what was applied, for the worker's start-up log line.
    """
    if priority == "normal":
        return "normal"
    _raise_nice(LOW_NICE)
    if priority == "idle" and _set_policy("SCHED_IDLE"):
        return "SCHED_IDLE"
    return f"nice {LOW_NICE}"


def mark_interactive_renderer(priority: Priority) -> str:
    """For a render worker of synchronous requests: ``SCHED_BATCH`` with ``idle``.

    Its weight stays the server's (a client waits for its document), but a wake-up of
    ``SCHED_BATCH`` never preempts the process on the core, so the server's event loop
    is not cut short by the worker it has just handed a job.
    """
    if priority == "idle" and _set_policy("SCHED_BATCH"):
        return "SCHED_BATCH"
    return "unchanged"


def policy_name(pid: int = 0) -> str:
    """``SCHED_OTHER``, ``SCHED_BATCH``, ``SCHED_IDLE``, ... of ``pid`` (for tests and logs)."""
    getter = getattr(os, "sched_getscheduler", None)
    if getter is None:
        return "unknown"
    number = getter(pid)
    for name in ("SCHED_OTHER", "SCHED_BATCH", "SCHED_IDLE", "SCHED_FIFO", "SCHED_RR"):
        if getattr(os, name, None) == number:
            return name
    return str(number)
