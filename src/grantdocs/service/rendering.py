"""Synchronous documents, rendered in warmed worker processes and never on the event loop.

A :class:`RenderPool` holds ``render_workers`` processes (``spawn``: no copy of the
server's threads or sockets). Each builds the document kinds' renderers once, the PDF
writer's fonts and stylesheets included, as it starts (so the first request is as fast
as the others), and keeps them for every later request. Each has the engine's memory
limit (``GRANTDOCS_WORKER_MEMORY_MB``). The event loop only awaits the future
(``loop.run_in_executor``), so ``/healthz`` answers while a letter renders.

What a worker sends back is plain data (:class:`Outcome`): a document, the scheme's
issues with the case, or why the kind has no document for it. Exceptions never cross
the process boundary, except a crash, which :class:`RenderPool` answers by replacing
the pool.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grantdocs.resources import DATA_DIR

# The kinds made one document per case, with their formats (the first is the default).
SYNC_KINDS: dict[str, tuple[str, ...]] = {
    "letters": ("pdf", "docx", "html"),
    "report-templates": ("docx", "html"),
    "accounts-workbooks": ("xlsx",),
}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def bundled(what: str) -> list[str]:
    """The names of the bundled issuer profiles or schemes: all a client may choose from."""
    folder = DATA_DIR / ("issuers" if what == "issuer" else "schemes")
    return sorted(p.stem for p in folder.glob("*.toml"))


def bundled_path(what: str, name: str | None) -> Path | None:
    if not name:
        return None
    if name not in bundled(what):
        raise ValueError(f"no bundled {what} named {name!r}; use one of "
                         f"{', '.join(bundled(what))}")
    return DATA_DIR / ("issuers" if what == "issuer" else "schemes") / f"{name}.toml"


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for one request."""

    status: str  # "ok", "refused" (the scheme's rules), "skipped" (no such document),
    # "unusable" (an uploaded file that makes nothing: a forged workbook, unreadable records)
    name: str = ""
    data: bytes = b""
    issues: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0
    left_out: int = 0  # records of an upload that could not be read (statistics)


# --- in the worker process ------------------------------------------------------------------

_STATES: dict[tuple[str, str | None, str | None, str], Any] = {}


def _state(kind_name: str, issuer: str | None, scheme: str | None, fmt: str) -> Any:
    from grantdocs.batch.digest import Settings
    from grantdocs.products import KINDS

    key = (kind_name, issuer, scheme, fmt)
    if key not in _STATES:
        settings = Settings(scheme=bundled_path("scheme", scheme),
                            issuer=bundled_path("issuer", issuer))
        _STATES[key] = KINDS[kind_name].start(settings, (fmt,))
    return _STATES[key]


def _watch_parent(parent: int) -> None:
    """End this worker when the server is gone, even killed with SIGKILL (no orphans)."""
    import os
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


_WATCHING: list[threading.Thread] = []


def _warm(build: bool = True) -> None:
    """As the worker starts: watch the server, take the render workers' CPU policy
    (:func:`~grantdocs.service.priority.mark_interactive_renderer`), limit memory, and (with
    ``build``, ``GRANTDOCS_WARM_UP``) build the letter renderer and the PDF writer."""
    import os

    from grantdocs.batch.limits import limit_worker_memory
    from grantdocs.service.priority import configured, mark_interactive_renderer

    if not _WATCHING:
        mark_interactive_renderer(configured())
        watcher = threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True)
        watcher.start()
        _WATCHING.append(watcher)
    limit_worker_memory()
    if build:
        _state("letters", None, None, "pdf")


def issue_entry(issue: Any) -> dict[str, Any]:
    return {"field": issue.location.field, "message": issue.message, "hint": issue.hint,
            "severity": issue.severity.value}


def render_one(kind_name: str, case_json: str, fmt: str, issuer: str | None,
               scheme: str | None) -> Outcome:
    """One document of ``kind_name`` for the case (validated by the API) as ``fmt``."""
    import time

    from grantdocs.batch.jobs import Job, safe_stem
    from grantdocs.errors import CaseRefused, Location, NotApplicable
    from grantdocs.model import Case
    from grantdocs.products import KINDS
    from grantdocs.rules import refuse_forbidden

    started = time.perf_counter()
    kind = KINDS[kind_name]
    state = _state(kind_name, issuer, scheme, fmt)
    case = Case.model_validate_json(case_json)
    try:
        refuse_forbidden(case, state.scheme)
    except CaseRefused as refused:
        return Outcome("refused", issues=[issue_entry(i) for i in refused.issues if i.is_error])
    reason = kind.skip_reason(case)
    if reason is not None:
        return Outcome("skipped", reason=reason)
    job = Job(case_json, case.reference, Location(), safe_stem(case.reference,
                                                               case.organisation.name), "")
    try:
        rendered = kind.render(state, job, (fmt,))
    except NotApplicable as exc:
        return Outcome("skipped", reason=str(exc))
    first = rendered.files[0]
    return Outcome("ok", name=first.name, data=first.data,
                   seconds=time.perf_counter() - started)


# --- in the server ----------------------------------------------------------------------------


class RenderPool:
    """The worker processes of synchronous requests; replaced whole if one crashes."""

    def __init__(self, workers: int, *, build: bool = True) -> None:
        self.workers = max(1, workers)
        self.build = build  # the renderers as each worker starts (else at first use)
        self._lock = threading.Lock()
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm, initargs=(self.build,))

    def warm(self) -> None:
        """Start every worker now (and wait until each has started, with ``build`` until
        each has built its renderers)."""
        futures = [self._pool.submit(_warm, self.build) for _ in range(self.workers)]
        for future in futures:
            future.result(timeout=300)

    async def render(self, kind_name: str, case_json: str, fmt: str, issuer: str | None,
                     scheme: str | None) -> Outcome:
        outcome: Outcome = await self.call(render_one, kind_name, case_json, fmt, issuer, scheme)
        return outcome

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in a worker (a module-level function, so it can be sent)."""
        loop = asyncio.get_running_loop()
        pool = self._pool
        try:
            return await loop.run_in_executor(pool, function, *args)
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new()
            raise

    async def vet(self, path: Path, name: str) -> tuple[int, str | None]:
        """:func:`vet_upload` in a worker process (reading a large sheet is CPU work)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, vet_upload, str(path), name)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def vet_upload(path: str, name: str) -> tuple[int, str | None]:
    """Read an uploaded batch file once against every input limit: (records, why refused).

    Every record is read by the readers the CLI uses, so the file's size, an XLSX's zip
    parts (counted while inflating), rows, columns and cells are all checked. Runs in a
    worker process.
    """
    from grantdocs.errors import GrantdocsError
    from grantdocs.readers import read_cases

    try:
        count = sum(1 for _ in read_cases(path))
    except GrantdocsError as exc:
        return 0, str(exc).replace(path, name)
    return count, None
