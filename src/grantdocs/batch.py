"""Many records to many files: validate, render in parallel, write atomically, keep a manifest.

The flow reads top to bottom like the job it runs:

1. :func:`plan` reads every input (streaming), validates each record against the
   model and the scheme, and yields one :class:`Job` per good record;
2. :func:`run_batch` renders the jobs, in worker processes when ``jobs > 1``;
   each worker builds its renderer once (fonts, templates, CSS, scheme);
3. every file is written to a temporary name in the output folder and renamed,
   so an interrupted run never leaves a partial file;
4. the manifest (``manifest.json`` and ``manifest.csv``) lists every output and
   every failed record; a rerun keeps outputs whose inputs (record, scheme,
   issuer, templates, grantdocs version) have not changed.

A bad record never stops the good ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
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
    "error", "file", "row", "field", "input_hash",
)


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
        for folder in template_dirs(self.templates):
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    h.update(str(file.relative_to(folder)).encode())
                    h.update(file.read_bytes())
        logo = issuer.logo_path()
        if logo and logo.is_file():
            h.update(logo.read_bytes())
        return h.hexdigest()


@dataclass
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


@dataclass(frozen=True)
class Job:
    case_json: str
    reference: str
    location: Location
    stem: str
    input_hash: str


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
                  hashlib.sha256(f"{digest}\n{case_json}".encode()).hexdigest())


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


# --- 4. manifest ---------------------------------------------------------------------


def read_manifest(out_dir: Path) -> dict[str, OutputRecord]:
    """The previous run's outputs by relative path (empty when there is none)."""
    file = out_dir / MANIFEST_JSON
    if not file.is_file():
        return {}
    try:
        rows = json.loads(file.read_text("utf-8"))["outputs"]
    except (ValueError, KeyError, TypeError):
        return {}
    return {r["path"]: OutputRecord(**r) for r in rows if r.get("path")}


def write_manifest(out_dir: Path, result: BatchResult) -> None:
    rows = [asdict(o) for o in result.outputs]
    doc = {"grantdocs_version": __version__, "summary": result.summary(), "outputs": rows}
    atomic_write(out_dir / MANIFEST_JSON,
                 json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    atomic_write(out_dir / MANIFEST_CSV, buf.getvalue().encode("utf-8"))


# --- the whole run ------------------------------------------------------------------

Progress = Callable[[int, int | None], None]


def _cleanup_partials(out_dir: Path) -> None:
    for leftover in out_dir.glob(".*.part"):
        leftover.unlink(missing_ok=True)


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
    """Write one file per valid record and format into ``out_dir``; see the module doc."""
    settings = settings or Settings()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _cleanup_partials(out)
    fmts = tuple(dict.fromkeys(formats))
    previous = {} if force else read_manifest(out)
    result = BatchResult()

    todo: list[Job] = []
    for job in plan(inputs, settings, result):
        kept = _keep_if_unchanged(job, fmts, out, previous)
        if kept is not None:
            result.outputs.extend(kept)
        else:
            todo.append(job)
    total = len(todo)
    done = 0
    if on_progress:
        on_progress(0, total)

    def finish(job: Job, rendered: Rendered | BaseException) -> None:
        nonlocal done
        done += 1
        if isinstance(rendered, BaseException):
            result.outputs.append(OutputRecord(
                job.reference, None, None, None, None, None, None, None, "failed",
                error=f"rendering failed: {rendered}", file=job.location.file,
                row=job.location.row, input_hash=job.input_hash))
            result.issues.append(Issue(Severity.ERROR, f"rendering failed: {rendered}",
                                       job.location, reference=job.reference))
        else:
            for fmt, data, pages in rendered.files:
                name = f"{job.stem}.{fmt}"
                atomic_write(out / name, data)
                result.outputs.append(OutputRecord(
                    job.reference, rendered.kind, rendered.language, fmt, name, pages, len(data),
                    hashlib.sha256(data).hexdigest(), "written", file=job.location.file,
                    row=job.location.row, input_hash=job.input_hash))
        if on_progress:
            on_progress(done, total)

    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    try:
        if workers <= 1 or total <= 1:
            _init_worker(settings, fmts)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for job in todo:
                try:
                    rendered: Rendered | BaseException = _render_job(job, fmts)
                except Exception as exc:  # a bad record must not stop the batch
                    rendered = exc
                finish(job, rendered)
        else:
            _run_parallel(todo, fmts, settings, workers, finish)
    finally:
        result.outputs.sort(key=lambda o: (o.path or "", o.file or "", o.row or 0))
        write_manifest(out, result)
    return result


def _run_parallel(
    todo: list[Job], fmts: tuple[str, ...], settings: Settings, workers: int,
    finish: Callable[[Job, Rendered | BaseException], None],
) -> None:
    """Keep at most a few jobs per worker in flight, so memory stays flat."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    window = workers * 4
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(settings, fmts)) as pool:
        pending: dict[Future[Rendered], Job] = {}
        it: Iterator[Job] = iter(todo)

        def submit_more() -> None:
            while len(pending) < window:
                job = next(it, None)
                if job is None:
                    return
                pending[pool.submit(_render_job, job, fmts)] = job

        submit_more()
        from concurrent.futures import FIRST_COMPLETED, wait

        while pending:
            done_set, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done_set, key=lambda f: pending[f].stem):
                job = pending.pop(future)
                try:
                    outcome: Rendered | BaseException = future.result()
                except Exception as exc:
                    outcome = exc
                finish(job, outcome)
            submit_more()


def _keep_if_unchanged(
    job: Job, fmts: tuple[str, ...], out: Path, previous: dict[str, OutputRecord]
) -> list[OutputRecord] | None:
    """The previous outputs of ``job``, if present, matching the manifest, for the same input."""
    kept = []
    for fmt in fmts:
        name = f"{job.stem}.{fmt}"
        old = previous.get(name)
        path = out / name
        if (old is None or old.status not in ("written", "kept") or old.input_hash != job.input_hash
                or not path.is_file() or old.bytes != path.stat().st_size
                or old.sha256 != _sha256_file(path)):
            return None
        kept.append(OutputRecord(**{**asdict(old), "status": "kept"}))
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
