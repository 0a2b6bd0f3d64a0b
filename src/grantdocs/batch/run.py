"""One run of the batch engine, top to bottom: open the folder, plan, keep what is
unchanged, render the rest, close the folder with a true manifest.

The engine is the same for every document kind; a
:class:`~grantdocs.batch.jobs.DocumentKind` says what a record becomes:

1. the kind's ``plan`` reads every input (streaming) and validates each record
   against the model and the scheme; invalid records, records the document does
   not exist for, and unchanged outputs are recorded at once, and the other jobs
   are spooled to a temporary file. So the total is known and every error is
   reported before the long part starts;
2. the jobs are rendered, in worker processes when ``jobs > 1``
   (:mod:`~grantdocs.batch.workers`);
3. every file is written atomically (:mod:`grantdocs.files`) and journalled at
   once (:mod:`~grantdocs.batch.manifest`), so progress survives a killed
   parent; a rerun keeps outputs whose inputs (record, scheme, issuer,
   templates, grantdocs version) have not changed and whose bytes still match.

A bad record never stops the good ones; Ctrl-C stops after the file being
written, with the manifest consistent. One run at a time may write to an output
folder (it is locked for the run).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

from grantdocs.batch.digest import Settings
from grantdocs.batch.interrupts import Interrupts
from grantdocs.batch.jobs import DocumentKind, Job, Rendered
from grantdocs.batch.manifest import (
    MANIFEST_JSON,
    BatchResult,
    Journal,
    OutputRecord,
    fold_previous,
    write_manifest,
)
from grantdocs.batch.workers import DEFAULT_MAX_TASKS, DEFAULT_TIMEOUT, run_here, run_parallel
from grantdocs.errors import Issue, RecordRefused
from grantdocs.files import atomic_write, cleanup_partials, folder_lock, unwritable_as_error

Progress = Callable[[int, int | None], None]


def run_batch(
    inputs: Sequence[Path | str],
    out_dir: Path | str,
    formats: Sequence[str],
    *,
    kind: DocumentKind,
    settings: Settings | None = None,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_tasks: int = DEFAULT_MAX_TASKS,
    on_progress: Progress | None = None,
    on_planned: Callable[[BatchResult], None] | None = None,
    on_finished: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Write ``kind``'s files for every valid record; see the module doc.

    First every record is read and checked: invalid and skipped records and
    unchanged outputs are recorded, ``on_planned(result)`` is called (report the
    errors and warnings there, before the long part), and the jobs left are
    spooled to a temporary file. Then they are rendered, at most a few per
    worker in flight, and only the manifest rows are kept in memory.
    ``on_progress(done, total)`` is called as records finish. Ctrl-C raises
    KeyboardInterrupt after the manifest has been brought up to date.

    A record that takes longer than ``timeout`` seconds to render (None: no
    limit) is a failed row; each worker process is replaced after
    ``max_tasks`` jobs.

    ``on_finished(result)`` is called after a complete run, with the manifest
    written and the folder still locked: a zip or a print file made there holds
    the files this run wrote, not those of a run that started since.
    """
    settings = settings or Settings()
    fmts = kind.check_formats(formats)
    settings.check()
    out = Path(out_dir)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    with unwritable_as_error(out):  # a full disk or a read-only folder: one clear error
        out.mkdir(parents=True, exist_ok=True)

    with unwritable_as_error(out), folder_lock(out), Interrupts() as interrupts, \
            contextlib.closing(_Spool()) as spool:
        run = _open_folder(out, kind, fmts, interrupts, on_progress)
        complete = False
        try:
            _plan(run, inputs, settings, spool, reuse=not force)
            if on_planned:
                on_planned(run.result)
            run.progress()
            if workers <= 1 or spool.count <= 1:
                run_here(iter(spool), kind, fmts, settings, run.finish, timeout=timeout)
            else:
                run_parallel(iter(spool), kind, fmts, settings, run.finish, workers=workers,
                             timeout=timeout, max_tasks=max_tasks)
            complete = True
        finally:
            with interrupts.critical():
                _close_folder(run, complete)
        if on_finished:
            on_finished(run.result)
    return run.result


class _Run:
    """Book-keeping of one run: writing finished jobs, the journal, progress."""

    def __init__(self, out: Path, kind: DocumentKind, fmts: tuple[str, ...],
                 previous: dict[str, OutputRecord], journal: Journal, interrupts: Interrupts,
                 on_progress: Progress | None) -> None:
        self.out = out
        self.kind = kind
        self.fmts = fmts
        self.result = BatchResult()
        self.previous = previous
        self.journal = journal
        self.interrupts = interrupts
        self.on_progress = on_progress
        self.done = 0
        self.total: int | None = None
        self.manifest_written = False

    def progress(self) -> None:
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def finish(self, job: Job, rendered: Rendered | BaseException) -> None:
        """Write a job's files atomically and journal them (Ctrl-C waits for both)."""
        with self.interrupts.critical():
            self._finish(job, rendered)
        self.done += 1
        self.progress()

    def _finish(self, job: Job, rendered: Rendered | BaseException) -> None:
        if not self.manifest_written:
            # before the first file: if the disk fills or the folder turns read-only before
            # this run's own manifest is written, a manifest that reads is there
            if not (self.out / MANIFEST_JSON).exists():
                write_manifest(self.out, BatchResult())
            self.manifest_written = True
        if isinstance(rendered, BaseException):
            message = (str(rendered) if isinstance(rendered, RecordRefused)
                       else f"rendering failed: {rendered}")
            record = OutputRecord(
                job.reference, None, None, None, None, None, None, None, "failed",
                error=message, file=job.location.file, row=job.location.row,
                input_hash=job.input_hash, organisation=job.organisation,
                document=self.kind.name)
            coded = rendered.text if isinstance(rendered, RecordRefused) else None
            self.result.fail(record, text=coded)
            self.journal.add(record)
            return
        for output in rendered.files:
            # no fsync per file: _close_folder flushes them all at once before the manifest
            atomic_write(self.out / output.name, output.data, fsync=False)
            record = OutputRecord(
                job.reference, output.kind, rendered.language, output.format, output.name,
                output.pages, len(output.data), hashlib.sha256(output.data).hexdigest(),
                "written", file=job.location.file, row=job.location.row,
                input_hash=job.input_hash, organisation=job.organisation,
                document=self.kind.name)
            self.result.outputs.append(record)
            self.journal.add(record)


def _open_folder(out: Path, kind: DocumentKind, fmts: tuple[str, ...], interrupts: Interrupts,
                 on_progress: Progress | None) -> _Run:
    """Clear a killed run's leftovers, fold its journal in, and start this run's journal."""
    notes: list[Issue] = []  # corrupt manifest rows or journal lines, skipped
    with interrupts.critical():
        cleanup_partials(out)
        previous, carried = fold_previous(out, kind.name, kind.kinds, notes)
        run = _Run(out, kind, fmts, previous, Journal(out), interrupts, on_progress)
    run.result.carried = carried
    run.result.issues.extend(notes)
    return run


def _plan(run: _Run, inputs: Sequence[Path | str], settings: Settings, spool: _Spool,
          *, reuse: bool) -> None:
    """Plan every job; keep unchanged outputs, spool the jobs left to render."""
    reusable = run.previous if reuse else {}
    planned = 0
    for job in run.kind.plan(inputs, settings, run.result):
        planned += 1
        kept = _keep_if_unchanged(run.kind.names(job, run.fmts), job, reusable)
        if kept is None:
            spool.add(job)
        else:
            run.result.outputs.extend(kept)
    run.total = planned + run.result.count("failed") + run.result.count("skipped")
    run.done = run.total - spool.count


def _keep_if_unchanged(
    names: Sequence[str], job: Job, previous: dict[str, OutputRecord]
) -> list[OutputRecord] | None:
    """The previous outputs of ``job`` (already verified against the files), same input."""
    kept = []
    for name in names:
        old = previous.get(name)
        if old is None or old.input_hash != job.input_hash:
            return None
        kept.append(OutputRecord(**{**asdict(old), "status": "kept",
                                    "organisation": job.organisation}))
    return kept


def _close_folder(run: _Run, complete: bool) -> None:
    """Write the manifest of what the folder now holds, and drop the journal."""
    result = run.result
    if not complete:
        # keep what earlier runs made and this one did not reach
        touched = {o.path for o in result.outputs if o.path}
        result.outputs.extend(r for p, r in run.previous.items() if p not in touched)
    for row in result.outputs:
        row.document = run.kind.name
    result.outputs.sort(key=lambda o: (o.path or "", o.file or "", o.row or 0))
    write_manifest(run.out, result)
    run.journal.remove()


class _Spool:
    """The planned jobs, pickled to an anonymous temporary file.

    Every record is read and checked before rendering starts, so the total is
    known and errors are reported first, without holding the records in memory.
    """

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.count = 0

    def add(self, job: Job) -> None:
        pickle.dump(job, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Job]:
        self._fh.flush()
        self._fh.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._fh)

    def close(self) -> None:
        self._fh.close()
