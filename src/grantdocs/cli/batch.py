"""What every bulk command shares: the engine's options, the progress bar and the summary.

``letters``, ``report-templates``, ``accounts-workbooks`` and ``checklist`` run
through :func:`run_product`: errors and warnings are printed once every record
has been read and checked (before the rendering starts), then a progress bar
with count, rate and ETA runs on stderr when it is a terminal, then the summary
(or ``--json``) follows.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from grantdocs import messages as M
from grantdocs.cli.options import FloatRange, IntRange, PathType, report_issues
from grantdocs.cli.usage import CodedBadParameter
from grantdocs.i18n import coded
from grantdocs.messages_cli import FORMATS_LIST

if TYPE_CHECKING:
    from grantdocs.batch import BatchResult, DocumentKind, Progress, Settings

F = TypeVar("F", bound=Callable[..., Any])


def batch_options(func: F) -> F:
    """--jobs, --timeout, --force, --quiet, --json and --zip."""
    for option in reversed((
        click.option("--jobs", "-j", type=IntRange(min=1), default=None,
                     help="Worker processes (default: the number of CPUs)."),
        click.option("--timeout", type=FloatRange(min=0, min_open=True), default=300,
                     show_default=True, metavar="SECONDS",
                     help="Longest time one record may take to render; a record that takes "
                          "longer is a failed row."),
        click.option("--force", is_flag=True, help="Regenerate every output, changed or not."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar, summary or warnings."),
        click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout."),
        click.option("--zip", "zip_file", type=PathType(dir_okay=False, path_type=Path),
                     help="Also pack every file the manifest lists, and the manifest, into "
                          "this zip."),
    )):
        func = option(func)
    return func


def parse_formats(product: DocumentKind, value: str) -> tuple[str, ...]:
    try:
        return product.check_formats(value.split(","))
    except ValueError:
        raise CodedBadParameter(FORMATS_LIST(value=repr(value),
                                             formats=", ".join(product.formats)),
                                param_hint="'--format'") from None


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr (count, rate, ETA); nothing when stderr is not a terminal.

    The bar appears at the first update, so what is printed before it (the
    issues found while reading) stays readable.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=None, rate="")
    started = False

    def update(done: int, total: int | None) -> None:
        nonlocal started
        if not started:
            bar.start()
            started = True
        speed = bar.tasks[0].speed
        bar.update(task, completed=done, total=total, rate=f"{speed:.1f}/s" if speed else "")

    try:
        yield update
    finally:
        if started:
            bar.stop()


def run_product(
    product: DocumentKind,
    inputs: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str],
    settings: Settings,
    *,
    jobs: int | None,
    timeout: float,
    force: bool,
    quiet: bool,
    as_json: bool,
    zip_file: Path | None,
    package: Callable[[BatchResult], dict[str, object]] | None = None,
    exit_code: Callable[[BatchResult], int] | None = None,
) -> None:
    """Run the batch engine for ``product`` and report like every bulk command; exits."""
    from grantdocs.batch import run_batch
    from grantdocs.batch.interrupts import Terminated
    from grantdocs.errors import ExitCode

    shown = 0

    def planned(result: BatchResult) -> None:
        nonlocal shown
        report_issues(result.issues, show_warnings=not quiet)
        shown = len(result.issues)

    extra: dict[str, object] = {}

    def finished(result: BatchResult) -> None:
        # still under the folder lock: no other run changes the files being packed
        extra.update(package(result) if package else {})
        if zip_file is not None:
            from grantdocs.bundle import zip_outputs

            count = zip_outputs(out_dir, [*result.outputs, *result.carried], zip_file)
            extra["zip"] = {"path": str(zip_file), "files": count}
            if not quiet:
                click.echo(coded(M.ZIP_WRITTEN(file=str(zip_file), count=count)), err=True)

    try:
        with progress_bar(not quiet, product.label) as progress:
            result = run_batch(inputs, out_dir, formats, kind=product, settings=settings,
                               jobs=jobs, force=force, timeout=timeout, on_progress=progress,
                               on_planned=planned, on_finished=finished)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (Terminated)
        # click's standalone mode would turn this into "Aborted!" and exit 1
        stopped = M.BATCH_TERMINATED if isinstance(stop, Terminated) else M.BATCH_INTERRUPTED
        click.echo(coded(stopped(folder=str(out_dir))), err=True)
        sys.exit(ExitCode.TERMINATED if isinstance(stop, Terminated) else ExitCode.INTERRUPTED)
    report_issues(result.issues[shown:], show_warnings=not quiet)
    summary = result.summary()
    if as_json:
        click.echo(json.dumps({**summary, "out": str(out_dir), **extra}, ensure_ascii=False))
    elif not quiet:
        skipped: M.Param = M.SKIPPED(count=summary["skipped"]) if summary["skipped"] else ""
        click.echo(coded(M.BATCH_SUMMARY(
            written=summary["written"], kept=summary["kept"], skipped=skipped,
            failed=summary["failed"], folder=str(out_dir),
            errors=M.ERRORS(count=summary["errors"]),
            warnings=M.WARNINGS(count=summary["warnings"]))), err=True)
    sys.exit(exit_code(result) if exit_code else result.exit_code)
