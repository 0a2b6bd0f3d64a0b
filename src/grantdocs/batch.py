"""Many records to many files: validate, render in parallel, write atomically, keep a manifest.

The engine is the same for every document kind; a :class:`~grantdocs.products.Product`
says what a record becomes (letters, report templates, accounts workbooks,
checklists). The flow reads top to bottom like the job it runs:

1. the product's ``plan`` reads every input (streaming) and validates each
   record against the model and the scheme; invalid records, records the
   document does not exist for, and unchanged outputs are recorded at once, and
   the other jobs are spooled to a temporary file. So the total is known and
   every error is reported before the long part starts;
2. :func:`run_batch` renders the jobs, in worker processes when ``jobs > 1``;
   each worker builds its renderer once (fonts, templates, CSS, scheme);
3. every file is written to a temporary name in the output folder, fsynced and
   renamed, so an interrupted run never leaves a partial file;
4. each finished output is appended at once to a journal in the output folder
   (``.grantdocs-journal.jsonl``, one flushed JSON line per output), so progress
   survives a killed parent; the journal is folded into the manifest
   (``manifest.json`` and ``manifest.csv``) at the end of a run and at the start
   of the next one. The manifest lists only files that exist with the SHA-256 it
   gives; a rerun keeps outputs whose inputs (record, scheme, issuer, templates,
   grantdocs version) have not changed and whose bytes still match.

The journal is flushed but not fsynced: after a power cut a journal line may be
missing, and then that output is only made again; the manifest never claims a
file whose bytes do not match, because every row is verified before it is kept.

A bad record never stops the good ones; a worker process that dies is replaced
and the jobs it may have taken down are rendered again one at a time, so only
a record that kills its worker on its own fails; Ctrl-C stops after the file
being written, with the manifest consistent. One run at a time may write to an
output folder (it is locked for the run).
"""
from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import itertools
import json
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grantdocs import __version__
from grantdocs.errors import FolderBusy, Issue, Location, RecordRefused, Severity
from grantdocs.model import Case
from grantdocs.readers import read_cases
from grantdocs.rules import check_case
from grantdocs.scheme import DEFAULT_SCHEME, issuer_file, load_issuer, load_scheme

if TYPE_CHECKING:
    from grantdocs.products import Product, Rendered

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
MANIFEST_FIELDS = (
    "reference", "kind", "language", "format", "path", "pages", "bytes", "sha256", "status",
    "error", "file", "row", "field", "input_hash", "organisation", "document",
)
JOURNAL = ".grantdocs-journal.jsonl"


@dataclass(frozen=True)
class Settings:
    """What, besides the record, decides an output's bytes."""

    scheme: Path | None = None
    issuer: Path | None = None
    templates: Path | None = None

    def check(self) -> None:
        """Load the scheme, issuer and templates folder: a ConfigError now, not mid-run."""
        from grantdocs.render.environment import template_dirs

        load_scheme(self.scheme)
        load_issuer(self.issuer)
        template_dirs(self.templates)

    def digest(self, product: Product | None = None, lang: str | None = None) -> str:
        """Hash of scheme, issuer, the product's templates and the grantdocs version.

        With ``lang``, only that written form's templates (and the shared ones,
        such as the stylesheet) count, so editing a Nynorsk template does not
        make the Bokmål documents out of date.
        """
        from grantdocs.products import LETTERS
        from grantdocs.render.environment import template_dirs

        product = product or LETTERS
        issuer = load_issuer(self.issuer)  # a clear error for a bad name, before any read
        h = hashlib.sha256(f"{__version__}\n{product.name}".encode())
        h.update(Path(self.scheme or DEFAULT_SCHEME).read_bytes())
        h.update(issuer_file(self.issuer).read_bytes())
        roots = [r.replace("*/", f"{lang}/", 1) if lang else r for r in product.templates]
        for name, file in template_files(template_dirs(self.templates), roots):
            h.update(name.encode())
            h.update(file.read_bytes())
        logo = issuer.logo_path()
        if logo and logo.is_file():
            h.update(logo.read_bytes())
        return h.hexdigest()


def template_files(dirs: Sequence[Path], roots: Sequence[str]) -> list[tuple[str, Path]]:
    """The template files a product depends on, as (name, file) in search-path order.

    ``roots`` are names or globs (``*/letter-*.html``, ``letter.css``); every
    template they extend, include or import is followed through Jinja's
    references, so templates for other documents do not invalidate these. A
    reference Jinja cannot resolve statically makes this fall back to every file
    in the folders.
    """
    import jinja2
    from jinja2 import meta

    def find(name: str) -> Path | None:
        return next((d / name for d in dirs if (d / name).is_file()), None)

    names: set[str] = set()
    for root in roots:
        for folder in dirs:
            names.update(f.relative_to(folder).as_posix() for f in folder.glob(root)
                         if f.is_file())
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
    status: str  # written | kept | skipped | failed
    error: str | None = None
    file: str | None = None
    row: int | None = None
    field: str | None = None
    input_hash: str | None = None
    organisation: str | None = None
    document: str | None = None  # the product that made it: letters, report-templates, ...


@dataclass(frozen=True, slots=True)
class Job:
    """One record to render: the validated case, where it came from, and its file stem."""

    case_json: str
    reference: str
    location: Location
    stem: str
    input_hash: str
    organisation: str = ""
    extra: str = ""  # product-specific inputs, as JSON (a checklist's returned workbook)


@dataclass
class BatchResult:
    """What a run did: one manifest row per output (or failed or skipped record), and issues.

    ``carried`` holds the rows of other document kinds that share the output
    folder; they stay in the manifest untouched and are not counted.
    """

    outputs: list[OutputRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    carried: list[OutputRecord] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outputs if o.status == status)

    def fail(self, record: OutputRecord, hint: str | None = None) -> None:
        """Record a failed record, and its error as an issue."""
        self.outputs.append(record)
        self.issues.append(Issue(
            Severity.ERROR, record.error or "failed",
            Location(record.file, record.row, record.field), hint, record.reference))

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.count("failed") else 0

    def summary(self) -> dict[str, Any]:
        return {
            "written": self.count("written"),
            "kept": self.count("kept"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "exit_code": self.exit_code,
        }


def failed_row(reference: str | None, where: Location, message: str) -> OutputRecord:
    """The manifest row of a record that produced nothing."""
    return OutputRecord(reference, None, None, None, None, None, None, None, "failed",
                        error=message, file=where.file, row=where.row, field=where.field)


class StemCounter:
    """Unique file stems: a second record with the same stem gets "-2", and so on.

    Every stem handed out is remembered, so a record whose own stem happens to
    be "X-2" never collides with the second "X".
    """

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def unique(self, stem: str) -> str:
        candidate, n = stem, self._next.get(stem, 1)
        while candidate in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._next[stem] = n
        self._used.add(candidate)
        return candidate


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


def plan_cases(product: Product, inputs: Sequence[Path | str], settings: Settings,
               result: BatchResult) -> Iterator[Job]:
    """Yield one job per valid record the product applies to.

    Failed records (with their first error) and skipped ones (a rejection has no
    report template) go straight into ``result``, and every issue with them.
    """
    from grantdocs.letters import safe_stem
    from grantdocs.render.context import letter_language

    issuer = load_issuer(settings.issuer)
    digests: dict[str, str] = {}
    stems = StemCounter()
    for checked in check_inputs(inputs, settings.scheme):
        result.issues.extend(checked.issues)
        where = checked.location
        case = checked.case
        if case is None:
            first = next((i for i in checked.issues if i.is_error), None)
            result.outputs.append(OutputRecord(
                reference=first.reference if first else None, kind=None, language=None,
                format=None, path=None, pages=None, bytes=None, sha256=None, status="failed",
                error=first.message if first else "invalid record",
                file=where.file, row=where.row, field=first.location.field if first else None))
            continue
        reason = product.skip_reason(case)
        if reason is not None:
            result.outputs.append(OutputRecord(
                case.reference, None, None, None, None, None, None, None, "skipped",
                error=reason, file=where.file, row=where.row,
                organisation=case.organisation.name))
            continue
        stem = stems.unique(safe_stem(case.reference, case.organisation.name))
        case_json = case.model_dump_json()
        lang = letter_language(case, issuer)
        if lang not in digests:
            digests[lang] = settings.digest(product, lang)
        yield Job(case_json, case.reference, where, stem,
                  hashlib.sha256(f"{digests[lang]}\n{case_json}".encode()).hexdigest(),
                  case.organisation.name)


# --- 2. render (in this process or in workers) ---------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(product: Product, settings: Settings, formats: tuple[str, ...]) -> None:
    """Start a worker process: Ctrl-C is the parent's business; then build the renderer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _load_worker(product, settings, formats)


def _load_worker(product: Product, settings: Settings, formats: tuple[str, ...]) -> None:
    """Build the renderer once per process: fonts, templates, CSS, scheme."""
    _WORKER["product"] = product
    _WORKER["state"] = product.start(settings, formats)


def _render_job(job: Job, formats: tuple[str, ...]) -> Rendered:
    product: Product = _WORKER["product"]
    return product.render(_WORKER["state"], job, formats)


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
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
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


@functools.cache
def _umask() -> int:
    """The process's umask (read once: setting it back and forth is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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


def _manifest_rows(out_dir: Path) -> list[OutputRecord]:
    """Every row of the folder's manifest.json (none when it is missing or unreadable)."""
    file = out_dir / MANIFEST_JSON
    if not file.is_file():
        return []
    try:
        rows = json.loads(file.read_text("utf-8"))["outputs"]
    except (ValueError, KeyError, TypeError):
        return []
    records = (_record(row) for row in rows if isinstance(row, dict)) if isinstance(
        rows, list) else ()
    return [rec for rec in records if rec is not None]


def read_manifest(out_dir: Path, rows: list[OutputRecord] | None = None
                  ) -> dict[str, OutputRecord]:
    """The outputs the folder's manifest (or ``rows`` read from it) and journal record.

    By relative path; journal lines (a run that did not finish) override the
    manifest. Nothing is checked against the files here: see :func:`verified_outputs`.
    """
    rows = _manifest_rows(out_dir) if rows is None else rows
    found = {rec.path: rec for rec in rows if rec.path}
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


def verified_outputs(out_dir: Path, rows: list[OutputRecord] | None = None
                     ) -> dict[str, OutputRecord]:
    """The recorded outputs whose file exists with the recorded size and SHA-256."""
    good = {}
    for name, rec in read_manifest(out_dir, rows).items():
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
    """Write manifest.json and manifest.csv (atomically) from ``result`` (outputs, then carried).

    Rows are streamed to the files one at a time, so writing a manifest of many
    thousand rows does not build it whole in memory.
    """
    summary = json.dumps(result.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    with _atomic_open(out_dir / MANIFEST_JSON, "w") as fh:
        fh.write(f'{{\n  "grantdocs_version": {json.dumps(__version__)},\n'
                 f'  "summary": {summary},\n  "outputs": [')
        rows = itertools.chain(result.outputs, result.carried)
        empty = True
        for output in rows:
            row = json.dumps(asdict(output), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            fh.write(("" if empty else ",") + "\n    " + row)
            empty = False
        fh.write("]\n}" if empty else "\n  ]\n}")
    with _atomic_open(out_dir / MANIFEST_CSV, "w") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for output in itertools.chain(result.outputs, result.carried):
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


def _fold_previous(out: Path, product: Product
                   ) -> tuple[dict[str, OutputRecord], list[OutputRecord]]:
    """Fold an unfinished run's journal into the manifest.

    Returns the verified outputs of this product, and the rows of other
    document kinds sharing the folder, which are carried over as they are: their
    files verified, their skipped and failed records kept.
    """
    def mine(row: OutputRecord) -> bool:
        return row.document == product.name if row.document else row.kind in product.kinds

    rows = _manifest_rows(out)
    others = [r for r in rows if not r.path and r.document and not mine(r)]
    previous = verified_outputs(out, rows)
    if (out / JOURNAL).exists() or (out / MANIFEST_JSON).exists():
        folded = BatchResult(outputs=sorted(previous.values(), key=lambda o: o.path or ""),
                             carried=others)
        write_manifest(out, folded)
        (out / JOURNAL).unlink(missing_ok=True)
    own = {p: r for p, r in previous.items() if mine(r)}
    carried = sorted((r for p, r in previous.items() if p not in own), key=lambda o: o.path or "")
    return own, carried + others



@contextmanager
def _folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the whole run.

    Two runs into one folder would fold each other's journals and overwrite
    each other's manifest; the second one stops at once instead, before it
    touches anything. The lock is taken on the folder itself (flock), so no
    lock file is left behind, and the kernel releases it however the process
    ends. (POSIX only: elsewhere runs are not locked.)
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(f"another grantdocs run is writing to {out}; wait for it to "
                             "finish, or choose another --out folder") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


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


def run_batch(
    inputs: Sequence[Path | str],
    out_dir: Path | str,
    formats: Sequence[str] = ("pdf",),
    *,
    product: Product | None = None,
    settings: Settings | None = None,
    jobs: int | None = None,
    force: bool = False,
    on_progress: Progress | None = None,
    on_planned: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Write ``product``'s files (default: letters) for every valid record; see the module doc.

    First every record is read and checked: invalid and skipped records and
    unchanged outputs are recorded, ``on_planned(result)`` is called (report the
    errors and warnings there, before the long part), and the jobs left are
    spooled to a temporary file. Then they are rendered, at most a few per
    worker in flight, and only the manifest rows are kept in memory.
    ``on_progress(done, total)`` is called as records finish. Ctrl-C raises
    KeyboardInterrupt after the manifest has been brought up to date.
    """
    from grantdocs.products import LETTERS

    product = product or LETTERS
    settings = settings or Settings()
    fmts = product.check_formats(formats)
    settings.check()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    workers = jobs if jobs is not None else (os.cpu_count() or 1)

    with _folder_lock(out), _Interrupts() as interrupts, \
            contextlib.closing(_Spool()) as spool:
        with interrupts.critical():
            _cleanup_partials(out)
            previous, result.carried = _fold_previous(out, product)
            journal = Journal(out)
        reusable = {} if force else previous
        state = _Run(out, product, fmts, result, journal, interrupts, on_progress)
        complete = False
        try:
            planned = 0
            for job in product.plan(inputs, settings, result):
                planned += 1
                kept = _keep_if_unchanged(product.names(job, fmts), job, reusable)
                if kept is None:
                    spool.add(job)
                else:
                    result.outputs.extend(kept)
            state.total = planned + result.count("failed") + result.count("skipped")
            state.done = state.total - spool.count
            if on_planned:
                on_planned(result)
            state.progress()
            if workers <= 1 or spool.count <= 1:
                _run_here(iter(spool), product, fmts, settings, state)
            else:
                _run_parallel(iter(spool), product, fmts, settings, workers, state)
            complete = True
        finally:
            with interrupts.critical():
                if not complete:
                    # keep what earlier runs made and this one did not reach
                    touched = {o.path for o in result.outputs if o.path}
                    result.outputs.extend(r for p, r in previous.items() if p not in touched)
                for row in result.outputs:
                    row.document = product.name
                result.outputs.sort(key=lambda o: (o.path or "", o.file or "", o.row or 0))
                write_manifest(out, result)
                journal.remove()
    return result


class _Run:
    """Book-keeping of one run: writing finished jobs, the journal, progress."""

    def __init__(self, out: Path, product: Product, fmts: tuple[str, ...], result: BatchResult,
                 journal: Journal, interrupts: _Interrupts, on_progress: Progress | None) -> None:
        self.out = out
        self.product = product
        self.fmts = fmts
        self.result = result
        self.journal = journal
        self.interrupts = interrupts
        self.on_progress = on_progress
        self.done = 0
        self.total: int | None = None

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
        if isinstance(rendered, BaseException):
            message = (str(rendered) if isinstance(rendered, RecordRefused)
                       else f"rendering failed: {rendered}")
            record = OutputRecord(
                job.reference, None, None, None, None, None, None, None, "failed",
                error=message, file=job.location.file, row=job.location.row,
                input_hash=job.input_hash, organisation=job.organisation,
                document=self.product.name)
            self.result.fail(record)
            self.journal.add(record)
            return
        for output in rendered.files:
            atomic_write(self.out / output.name, output.data)
            record = OutputRecord(
                job.reference, output.kind, rendered.language, output.format, output.name,
                output.pages, len(output.data), hashlib.sha256(output.data).hexdigest(),
                "written", file=job.location.file, row=job.location.row,
                input_hash=job.input_hash, organisation=job.organisation,
                document=self.product.name)
            self.result.outputs.append(record)
            self.journal.add(record)


def _run_here(todo: Iterator[Job], product: Product, fmts: tuple[str, ...], settings: Settings,
              state: _Run) -> None:
    """Render in this process (``jobs=1``, or when worker processes cannot start)."""
    _load_worker(product, settings, fmts)  # Ctrl-C stays with the parent's handler
    for job in todo:
        try:
            rendered: Rendered | BaseException = _render_job(job, fmts)
        except Exception as exc:  # a bad record must not stop the batch
            rendered = exc
        state.finish(job, rendered)


def _ping() -> bool:
    return True


def _run_parallel(todo: Iterator[Job], product: Product, fmts: tuple[str, ...],
                  settings: Settings, workers: int, state: _Run) -> None:
    """Render in worker processes, at most a few jobs per worker in flight.

    A worker that dies (killed, out of memory, a crash in a C library) breaks the
    whole pool, and every job then in flight is a suspect. The pool is replaced
    and the suspects are rendered again one at a time: the innocent ones simply
    finish, and a job that kills its worker while running alone is recorded as
    failed, so one poisonous record costs only itself.

    Each new pool must first answer a no-op task. When workers cannot start at
    all (e.g. the calling script was read from stdin, which worker processes
    cannot re-import), or pools keep breaking without finishing anything, the
    rest of the batch is rendered in this process, with a warning.
    """
    import logging
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has already imported the renderer (and
    # WeasyPrint, ~1.5 s): each worker, and each replacement, starts warm.
    ctx.set_forkserver_preload(list(product.preload))
    window = workers * 4
    suspects: list[Job] = []
    exhausted = False
    fruitless = 0  # pool replacements in a row with nothing finished

    def new_pool() -> ProcessPoolExecutor | None:
        for _ in range(2):
            started = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                          initargs=(product, settings, fmts))
            try:
                started.submit(_ping).result()
                return started
            except BrokenProcessPool:
                started.shutdown(wait=True, cancel_futures=True)
            except BaseException:
                started.shutdown(wait=False, cancel_futures=True)
                raise
        return None

    def in_process(jobs: Iterable[Job]) -> None:
        logging.getLogger(__name__).warning(
            "worker processes could not start or keep running; rendering the rest of the "
            "batch in this process")
        _run_here(iter(jobs), product, fmts, settings, state)

    def finish(job: Job, outcome: Rendered | BaseException) -> None:
        nonlocal fruitless
        fruitless = 0
        state.finish(job, outcome)

    pool = new_pool()
    if pool is None:
        in_process(todo)
        return
    pending: dict[Future[Rendered], Job] = {}
    try:
        while True:
            broken = False
            isolating = bool(suspects)
            while not broken:
                if isolating:
                    if pending or not suspects:
                        break
                    job = suspects.pop(0)  # alone in the pool
                elif len(pending) < window and not exhausted:
                    nxt = next(todo, None)
                    if nxt is None:
                        exhausted = True
                        continue
                    job = nxt
                else:
                    break
                try:
                    pending[pool.submit(_render_job, job, fmts)] = job
                except BrokenProcessPool:
                    suspects.insert(0, job)  # never started
                    broken = True
            if not pending and not broken:
                break
            done_set = wait(pending, return_when=FIRST_COMPLETED)[0] if pending else set()
            alone = isolating and len(pending) == 1
            for future in sorted(done_set, key=lambda f: pending[f].stem):
                job = pending.pop(future)
                try:
                    outcome: Rendered | BaseException = future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        finish(job, RuntimeError(
                            "the worker process died while rendering it, also when rendered "
                            "alone (a crash or the memory limit; check this record)"))
                    else:
                        suspects.append(job)
                    continue
                except Exception as exc:
                    outcome = exc
                finish(job, outcome)
            if not broken:
                continue
            # the rest of the broken pool's jobs: finished ones keep their outcome
            for future, job in list(pending.items()):
                error = future.exception() if future.done() else None
                if future.done() and not isinstance(error, BrokenProcessPool):
                    finish(job, error if error is not None else future.result())
                else:
                    suspects.append(job)
            pending.clear()
            pool.shutdown(wait=True, cancel_futures=True)
            fruitless += 1
            replacement = new_pool() if fruitless <= 3 else None
            if replacement is None:
                in_process(itertools.chain(suspects, todo))
                return
            pool = replacement
    finally:
        # Ctrl-C or an error: drop the queue; the files written so far are complete
        pool.shutdown(wait=True, cancel_futures=True)


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
