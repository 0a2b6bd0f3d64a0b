"""Many records to many files: validate, render in parallel, write atomically, keep a manifest.

The flow reads top to bottom like the job it runs:

1. :func:`plan` reads every input (streaming), validates each record against the
   model and the scheme, and yields one :class:`Job` per good record;
2. :func:`run_batch` renders the jobs, in worker processes when ``jobs > 1``;
   each worker builds its renderer once (fonts, templates, CSS, scheme);
3. every file is written to a temporary name in the output folder and renamed,
   so an interrupted run never leaves a partial file;
4. each finished output is appended at once to a journal in the output folder
   (``.grantdocs-journal.jsonl``, one flushed JSON line per output), so progress
   survives a killed parent; the journal is folded into the manifest
   (``manifest.json`` and ``manifest.csv``) at the end of a run and at the start
   of the next one. The manifest lists only files that exist with the SHA-256 it
   gives; a rerun keeps outputs whose inputs (record, scheme, issuer, templates,
   grantdocs version) have not changed and whose bytes still match.

A bad record never stops the good ones; a worker process that dies is replaced
and its jobs are retried once; Ctrl-C stops after the file being written, with
the manifest consistent.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import itertools
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grantdocs import __version__
from grantdocs.errors import Issue, Location, Severity
from grantdocs.model import Case
from grantdocs.readers import read_cases
from grantdocs.rules import check_case
from grantdocs.scheme import DEFAULT_SCHEME, issuer_file, load_issuer, load_scheme

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
MANIFEST_FIELDS = (
    "reference", "kind", "language", "format", "path", "pages", "bytes", "sha256", "status",
    "error", "file", "row", "field", "input_hash", "organisation",
)
JOURNAL = ".grantdocs-journal.jsonl"
MAX_ATTEMPTS = 2


@dataclass(frozen=True)
class Settings:
    """What, besides the record, decides an output's bytes."""

    scheme: Path | None = None
    issuer: Path | None = None
    templates: Path | None = None

    def digest(self) -> str:
        """Hash of scheme, issuer, templates and grantdocs version."""
        from grantdocs.render.environment import template_dirs

        h = hashlib.sha256(__version__.encode())
        h.update(Path(self.scheme or DEFAULT_SCHEME).read_bytes())
        h.update(issuer_file(self.issuer).read_bytes())
        issuer = load_issuer(self.issuer)
        for name, file in letter_template_files(template_dirs(self.templates)):
            h.update(name.encode())
            h.update(file.read_bytes())
        logo = issuer.logo_path()
        if logo and logo.is_file():
            h.update(logo.read_bytes())
        return h.hexdigest()


def letter_template_files(dirs: Sequence[Path]) -> list[tuple[str, Path]]:
    """The template files letters depend on, as (name, file) in search-path order.

    The letter templates (``*/letter-*.html``), the stylesheet and everything they
    extend, include or import, followed through Jinja's references; templates for
    other documents do not invalidate letters. A reference Jinja cannot resolve
    statically makes this fall back to every file in the folders.
    """
    import jinja2
    from jinja2 import meta

    def find(name: str) -> Path | None:
        return next((d / name for d in dirs if (d / name).is_file()), None)

    names = {"letter.css"}
    for folder in dirs:
        names.update(f.relative_to(folder).as_posix() for f in folder.glob("*/letter-*.html"))
    todo = sorted(names)
    env = jinja2.Environment()
    while todo:
        name = todo.pop()
        file = find(name)
        if file is None or not name.endswith(".html"):
            continue
        try:
            refs = list(meta.find_referenced_templates(env.parse(file.read_text("utf-8"))))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            refs = [None]
        if None in refs:
            return [(f.relative_to(d).as_posix(), f) for d in dirs
                    for f in sorted(d.rglob("*")) if f.is_file()]
        for ref in refs:
            if ref is not None and ref not in names:
                names.add(ref)
                todo.append(ref)
    return [(n, f) for n in sorted(names) if (f := find(n)) is not None]


@dataclass(slots=True)
class OutputRecord:
    """One row of the manifest: an output written or kept, or a record that failed."""

    reference: str | None
    kind: str | None
    language: str | None
    format: str | None
    path: str | None
    pages: int | None
    bytes: int | None
    sha256: str | None
    status: str  # written | kept | failed
    error: str | None = None
    file: str | None = None
    row: int | None = None
    field: str | None = None
    input_hash: str | None = None
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    case_json: str
    reference: str
    location: Location
    stem: str
    input_hash: str
    organisation: str = ""


@dataclass
class BatchResult:
    outputs: list[OutputRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outputs if o.status == status)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.count("failed") else 0

    def summary(self) -> dict[str, Any]:
        return {
            "written": self.count("written"),
            "kept": self.count("kept"),
            "failed": self.count("failed"),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "exit_code": self.exit_code,
        }


# --- 1. read and validate ---------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A record after reading and validation: a case, or the errors that stop it."""

    location: Location
    case: Case | None
    issues: tuple[Issue, ...]


def check_inputs(inputs: Sequence[Path | str], scheme: Path | None = None) -> Iterator[Checked]:
    """Read every input and validate each record; errors and warnings per record."""
    rules = load_scheme(scheme)
    for path in inputs:
        for record in read_cases(path):
            issues = list(record.issues)
            case = record.case
            if case is not None:
                issues += check_case(case, rules, record.locate)
                if any(i.is_error for i in issues):
                    case = None
            yield Checked(record.location, case, tuple(issues))


def _case_hash(case_json: str, settings_digest: str, fmt: str) -> str:
    return hashlib.sha256(f"{settings_digest}\n{fmt}\n{case_json}".encode()).hexdigest()


def plan(
    inputs: Sequence[Path | str], settings: Settings, result: BatchResult
) -> Iterator[Job]:
    """Yield one job per valid record; failed records go straight into ``result``."""
    from grantdocs.letters import safe_stem

    digest = settings.digest()
    seen: dict[str, int] = {}
    for checked in check_inputs(inputs, settings.scheme):
        result.issues.extend(checked.issues)
        if checked.case is None:
            first = next((i for i in checked.issues if i.is_error), None)
            result.outputs.append(OutputRecord(
                reference=first.reference if first else None, kind=None, language=None,
                format=None, path=None, pages=None, bytes=None, sha256=None, status="failed",
                error=first.message if first else "invalid record",
                file=checked.location.file, row=checked.location.row,
                field=first.location.field if first else None))
            continue
        case = checked.case
        stem = safe_stem(case.reference, case.organisation.name)
        n = seen.get(stem, 0) + 1
        seen[stem] = n
        if n > 1:
            stem = f"{stem}-{n}"
        case_json = case.model_dump_json()
        yield Job(case_json, case.reference, checked.location, stem,
                  hashlib.sha256(f"{digest}\n{case_json}".encode()).hexdigest(),
                  case.organisation.name)


# --- 2. render (in this process or in workers) ---------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings, formats: tuple[str, ...]) -> None:
    """Build the renderer once per worker process: fonts, templates, CSS, scheme."""
    from grantdocs.letters import LetterRenderer

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    renderer = LetterRenderer(load_scheme(settings.scheme), load_issuer(settings.issuer),
                              settings.templates)
    if "pdf" in formats:
        renderer.pdf_writer()
    _WORKER["renderer"] = renderer


@dataclass(frozen=True)
class Rendered:
    reference: str
    kind: str
    language: str
    files: tuple[tuple[str, bytes, int | None], ...]  # (format, data, pages)


def _render_job(job: Job, formats: tuple[str, ...]) -> Rendered:
    from grantdocs.letters import LetterRenderer

    renderer: LetterRenderer = _WORKER["renderer"]
    case = Case.model_validate_json(job.case_json)
    letter = renderer.html(case)
    files = []
    for fmt in formats:
        if fmt == "pdf":
            data, pages = renderer.pdf_writer().write_counted(letter.html)
            files.append((fmt, data, pages))
        else:
            files.append((fmt, renderer.convert(letter, case, fmt), None))  # type: ignore[arg-type]
    return Rendered(job.reference, letter.kind, letter.language, tuple(files))


# --- 3. write atomically -------------------------------------------------------------


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    with _atomic_open(path, "wb") as fh:
        fh.write(data)


@contextmanager
def _atomic_open(path: Path, mode: str) -> Iterator[Any]:
    """A file written under a temporary name in the same folder.

    It is renamed over ``path`` on success and removed on any failure, so
    ``path`` is never partial.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        binary = "b" in mode
        with os.fdopen(fd, mode, encoding=None if binary else "utf-8",
                       newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


# --- 4. manifest and journal ---------------------------------------------------------


def _record(row: dict[str, Any]) -> OutputRecord | None:
    known = {k: row.get(k) for k in MANIFEST_FIELDS}
    try:
        return OutputRecord(**known)  # type: ignore[arg-type]
    except TypeError:
        return None


def read_manifest(out_dir: Path) -> dict[str, OutputRecord]:
    """The outputs the folder's manifest and journal record, by relative path.

    Journal lines (a run that did not finish) override the manifest. Nothing is
    checked against the files here: see :func:`verified_outputs`.
    """
    found: dict[str, OutputRecord] = {}
    file = out_dir / MANIFEST_JSON
    if file.is_file():
        try:
            rows = json.loads(file.read_text("utf-8"))["outputs"]
        except (ValueError, KeyError, TypeError):
            rows = []
        for row in rows if isinstance(rows, list) else []:
            rec = _record(row) if isinstance(row, dict) else None
            if rec is not None and rec.path:
                found[rec.path] = rec
    journal = out_dir / JOURNAL
    if journal.is_file():
        with journal.open("r", encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a kill
                rec = _record(row) if isinstance(row, dict) else None
                if rec is not None and rec.path:
                    found[rec.path] = rec
    return found


def verified_outputs(out_dir: Path) -> dict[str, OutputRecord]:
    """The recorded outputs whose file exists with the recorded size and SHA-256."""
    good = {}
    for name, rec in read_manifest(out_dir).items():
        path = out_dir / name
        if (rec.status in ("written", "kept") and rec.sha256 and _inside(out_dir, name)
                and path.is_file() and path.stat().st_size == rec.bytes
                and _sha256_file(path) == rec.sha256):
            good[name] = rec
    return good


def _inside(out_dir: Path, name: str) -> bool:
    return "/" not in name and "\\" not in name and not name.startswith(".") and (
        out_dir / name).parent == out_dir


def write_manifest(out_dir: Path, result: BatchResult) -> None:
    """Write manifest.json and manifest.csv (atomically) from ``result.outputs``.

    Rows are streamed to the files one at a time, so writing a manifest of many
    thousand rows does not build it whole in memory.
    """
    summary = json.dumps(result.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    with _atomic_open(out_dir / MANIFEST_JSON, "w") as fh:
        fh.write(f'{{\n  "grantdocs_version": {json.dumps(__version__)},\n'
                 f'  "summary": {summary},\n  "outputs": [')
        for i, output in enumerate(result.outputs):
            row = json.dumps(asdict(output), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            fh.write(("," if i else "") + "\n    " + row)
        fh.write("\n  ]\n}" if result.outputs else "]\n}")
    with _atomic_open(out_dir / MANIFEST_CSV, "w") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for output in result.outputs:
            writer.writerow(asdict(output))


class Journal:
    """Append-only record of finished outputs, one flushed JSON line each."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL
        self._fh = self.path.open("a", encoding="utf-8")

    def add(self, record: OutputRecord) -> None:
        self._fh.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class _Interrupts:
    """Defer Ctrl-C while a file and its journal line are being written.

    Python runs signal handlers in the main thread between bytecodes, so a
    handler that only raises outside critical sections is enough: the
    interrupt then lands after the rename *and* the journal line, never
    between them.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.pending = False
        self._old: Any = None
        self._installed = False

    def __enter__(self) -> _Interrupts:
        import threading

        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handler)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._old)

    def _handler(self, signum: int, frame: object) -> None:
        if self.depth:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def critical(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.pending:
                self.pending = False
                raise KeyboardInterrupt


# --- the whole run ------------------------------------------------------------------

Progress = Callable[[int, int | None], None]


def _cleanup_partials(out_dir: Path) -> None:
    for leftover in out_dir.glob(".*.part"):
        leftover.unlink(missing_ok=True)


def _fold_previous(out: Path, force: bool) -> dict[str, OutputRecord]:
    """Fold an unfinished run's journal into the manifest; return the verified outputs."""
    previous = verified_outputs(out)
    if (out / JOURNAL).exists() or (out / MANIFEST_JSON).exists():
        folded = BatchResult(outputs=sorted(previous.values(), key=lambda o: o.path or ""))
        write_manifest(out, folded)
        (out / JOURNAL).unlink(missing_ok=True)
    return {} if force else previous


def run_batch(
    inputs: Sequence[Path | str],
    out_dir: Path | str,
    formats: Sequence[str] = ("pdf",),
    *,
    settings: Settings | None = None,
    jobs: int | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
) -> BatchResult:
    """Write one file per valid record and format into ``out_dir``; see the module doc.

    Records stream through: at most a few jobs per worker are in flight, and
    only the manifest rows are kept. ``on_progress(done, total)`` is called as
    records finish (written, kept or failed); ``total`` is None until every
    input has been read. Ctrl-C raises KeyboardInterrupt after the manifest has
    been brought up to date.
    """
    settings = settings or Settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fmts = tuple(dict.fromkeys(formats))
    result = BatchResult()
    workers = jobs if jobs is not None else (os.cpu_count() or 1)

    with _Interrupts() as interrupts:
        with interrupts.critical():
            _cleanup_partials(out)
            previous = _fold_previous(out, force)
            journal = Journal(out)
        state = _Run(out, fmts, result, previous, journal, interrupts, on_progress)
        complete = False
        try:
            todo = state.jobs(plan(inputs, settings, result))
            first = list(itertools.islice(todo, 2))
            todo = itertools.chain(first, todo)
            if workers <= 1 or len(first) <= 1:
                _run_here(todo, fmts, settings, state)
            else:
                _run_parallel(todo, fmts, settings, workers, state)
            complete = True
        finally:
            with interrupts.critical():
                if not complete:
                    # keep what earlier runs made and this one did not reach
                    touched = {o.path for o in result.outputs if o.path}
                    result.outputs.extend(r for p, r in previous.items() if p not in touched)
                result.outputs.sort(key=lambda o: (o.path or "", o.file or "", o.row or 0))
                write_manifest(out, result)
                journal.remove()
    return result


class _Run:
    """Book-keeping of one run: which records are done, the journal, progress."""

    def __init__(self, out: Path, fmts: tuple[str, ...], result: BatchResult,
                 previous: dict[str, OutputRecord], journal: Journal,
                 interrupts: _Interrupts, on_progress: Progress | None) -> None:
        self.out = out
        self.fmts = fmts
        self.result = result
        self.previous = previous
        self.journal = journal
        self.interrupts = interrupts
        self.on_progress = on_progress
        self.done = 0
        self.total: int | None = None

    def jobs(self, planned: Iterator[Job]) -> Iterator[Job]:
        """The planned jobs that need rendering; unchanged ones are recorded as kept."""
        outputs = self.result.outputs
        seen = 0
        while True:
            before = len(outputs)
            job = next(planned, None)
            invalid = len(outputs) - before  # plan() records invalid records as failed
            seen += invalid
            self.done += invalid
            if job is None:
                break
            seen += 1
            kept = _keep_if_unchanged(job, self.fmts, self.previous)
            if kept is None:
                yield job
                continue
            outputs.extend(kept)
            self.done += 1
            self._progress()
        self.total = seen
        self._progress()

    def _progress(self) -> None:
        if self.on_progress:
            self.on_progress(self.done, self.total)

    def finish(self, job: Job, rendered: Rendered | BaseException) -> None:
        """Write a job's files atomically and journal them (Ctrl-C waits for both)."""
        with self.interrupts.critical():
            self._finish(job, rendered)
        self.done += 1
        self._progress()

    def _finish(self, job: Job, rendered: Rendered | BaseException) -> None:
        result = self.result
        if isinstance(rendered, BaseException):
            message = f"rendering failed: {rendered}"
            record = OutputRecord(
                job.reference, None, None, None, None, None, None, None, "failed",
                error=message, file=job.location.file, row=job.location.row,
                input_hash=job.input_hash, organisation=job.organisation)
            result.outputs.append(record)
            result.issues.append(Issue(Severity.ERROR, message, job.location,
                                       reference=job.reference))
            self.journal.add(record)
            return
        for fmt, data, pages in rendered.files:
            name = f"{job.stem}.{fmt}"
            atomic_write(self.out / name, data)
            record = OutputRecord(
                job.reference, rendered.kind, rendered.language, fmt, name, pages, len(data),
                hashlib.sha256(data).hexdigest(), "written", file=job.location.file,
                row=job.location.row, input_hash=job.input_hash, organisation=job.organisation)
            result.outputs.append(record)
            self.journal.add(record)


def _run_here(todo: Iterator[Job], fmts: tuple[str, ...], settings: Settings,
              state: _Run) -> None:
    """Render in this process (``jobs=1``)."""
    old = signal.getsignal(signal.SIGINT)
    _init_worker(settings, fmts)  # sets SIGINT to ignore, for workers
    signal.signal(signal.SIGINT, old)
    for job in todo:
        try:
            rendered: Rendered | BaseException = _render_job(job, fmts)
        except Exception as exc:  # a bad record must not stop the batch
            rendered = exc
        state.finish(job, rendered)


def _run_parallel(todo: Iterator[Job], fmts: tuple[str, ...], settings: Settings,
                  workers: int, state: _Run) -> None:
    """Render in worker processes, at most a few jobs per worker in flight.

    A worker that dies (killed, out of memory) breaks the whole pool: the pool is
    then replaced and the unfinished jobs are submitted again; a job whose
    worker died twice is recorded as failed.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has already imported the renderer (and
    # WeasyPrint, ~1.5 s): each worker, and each replacement, starts warm.
    ctx.set_forkserver_preload(["grantdocs.letters", "grantdocs.writers.pdf", "weasyprint"]
                               if "pdf" in fmts else ["grantdocs.letters"])
    window = workers * 4
    attempts: dict[str, int] = {}
    retry: list[Job] = []
    exhausted = False

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(settings, fmts))

    pool = new_pool()
    pending: dict[Future[Rendered], Job] = {}
    try:
        while True:
            while len(pending) < window:
                if retry:
                    job = retry.pop(0)
                elif not exhausted:
                    nxt = next(todo, None)
                    if nxt is None:
                        exhausted = True
                        continue
                    job = nxt
                else:
                    break
                attempts[job.stem] = attempts.get(job.stem, 0) + 1
                pending[pool.submit(_render_job, job, fmts)] = job
            if not pending:
                break
            done_set, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in sorted(done_set, key=lambda f: pending[f].stem):
                job = pending.pop(future)
                try:
                    outcome: Rendered | BaseException = future.result()
                except BrokenProcessPool as exc:
                    broken = True
                    if attempts[job.stem] < MAX_ATTEMPTS:
                        retry.append(job)
                        continue
                    outcome = RuntimeError(
                        f"the worker process died while rendering it ({MAX_ATTEMPTS} attempts; "
                        f"{exc or 'killed or out of memory'})")
                except Exception as exc:
                    outcome = exc
                attempts.pop(job.stem, None)
                state.finish(job, outcome)
            if broken:
                # every job still in the broken pool fails the same way: collect them
                for future, job in list(pending.items()):
                    if future.done() and future.exception() is None:
                        state.finish(job, future.result())
                        attempts.pop(job.stem, None)
                    elif attempts[job.stem] < MAX_ATTEMPTS:
                        retry.append(job)
                    else:
                        state.finish(job, RuntimeError(
                            f"the worker process died while rendering it ({MAX_ATTEMPTS} "
                            "attempts)"))
                        attempts.pop(job.stem, None)
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
    finally:
        # Ctrl-C or an error: drop the queue; the files written so far are complete
        pool.shutdown(wait=True, cancel_futures=True)


def _keep_if_unchanged(
    job: Job, fmts: tuple[str, ...], previous: dict[str, OutputRecord]
) -> list[OutputRecord] | None:
    """The previous outputs of ``job`` (already verified against the files), same input."""
    kept = []
    for fmt in fmts:
        old = previous.get(f"{job.stem}.{fmt}")
        if old is None or old.input_hash != job.input_hash:
            return None
        kept.append(OutputRecord(**{**asdict(old), "status": "kept",
                                    "organisation": job.organisation}))
    return kept


def validate_inputs(inputs: Iterable[Path | str], scheme: Path | None = None) -> BatchResult:
    """Read and check every record; write nothing."""
    result = BatchResult()
    for checked in check_inputs(list(inputs), scheme):
        result.issues.extend(checked.issues)
        if checked.case is None:
            result.outputs.append(OutputRecord(
                None, None, None, None, None, None, None, None, "failed",
                file=checked.location.file, row=checked.location.row))
    return result
