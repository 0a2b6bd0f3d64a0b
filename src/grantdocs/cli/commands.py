"""The commands. Each parses its options, calls one library function, and reports."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grantdocs.cli.options import INPUTS, config_errors, report_issues, settings_options

if TYPE_CHECKING:
    from grantdocs.batch import BatchResult, Progress

FORMAT_CHOICES = ("pdf", "docx", "html")


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMAT_CHOICES]
    if bad or not formats:
        raise click.BadParameter(f"use a comma-separated list of {', '.join(FORMAT_CHOICES)}")
    return formats


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Progress | None]:
    """A rich progress bar on stderr (count, rate, ETA); nothing when stderr is not a terminal."""
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
               TextColumn("{task.fields[rate]}"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")

        def update(done: int, total: int | None) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, total=total,
                       rate=f"{speed:.1f}/s" if speed else "")

        yield update


def _finish(result: BatchResult, out: Path | None, *, quiet: bool, as_json: bool,
            extra: dict[str, object] | None = None) -> None:
    report_issues(result.issues, show_warnings=not quiet)
    summary = result.summary()
    if as_json:
        click.echo(json.dumps({**summary, "out": str(out) if out else None, **(extra or {})},
                              ensure_ascii=False))
    elif not quiet:
        where = f" in {out}" if out else ""
        click.echo(
            f"{summary['written']} written, {summary['kept']} unchanged, "
            f"{summary['failed']} failed{where} "
            f"({summary['errors']} errors, {summary['warnings']} warnings)",
            err=True,
        )
    sys.exit(result.exit_code)


@click.command()
@INPUTS
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--format", "formats", default="pdf", show_default=True, callback=lambda c, p, v:
              _formats(v), help="Comma-separated: pdf, docx, html.")
@settings_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--force", is_flag=True, help="Regenerate every output, changed or not.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, summary or warnings.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
@click.option("--zip", "zip_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also pack every file the manifest lists, and the manifest, into this zip.")
@click.option("--print-pdf", "print_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also join the PDF letters into one file for duplex printing "
                   "(each letter starts on an odd page).")
@click.option("--print-order", type=click.Choice(["alpha", "input"]), default="alpha",
              show_default=True,
              help="Order of --print-pdf: recipient in Norwegian alphabetical order, or input.")
@config_errors
def letters(inputs: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
            scheme: Path | None, issuer: str | None, templates: Path | None, jobs: int | None,
            force: bool, quiet: bool, as_json: bool, zip_file: Path | None,
            print_file: Path | None, print_order: str) -> None:
    """Write one decision letter per record and format into --out.

    Grants, partial grants and rejections, each in the recipient's written form
    (Målform column, else the organisation's preference, else the issuer's default).
    Invalid records are reported with file, row and column; the valid ones are
    still written (exit code 1). A rerun regenerates only what changed.
    """
    from grantdocs.batch import Settings, run_batch

    settings = Settings(scheme, Path(issuer) if issuer else None, templates)
    try:
        with _progress(not quiet, "Brev") as progress:
            result = run_batch(inputs, out_dir, formats, settings=settings, jobs=jobs,
                               force=force, on_progress=progress)
    except KeyboardInterrupt:
        # click's standalone mode would turn this into "Aborted!" and exit 1
        click.echo(f"Interrupted: finished files and the manifest are kept in {out_dir}; "
                   "run the same command again to finish the batch.", err=True)
        sys.exit(130)
    extra = _package(result, inputs, out_dir, zip_file, print_file, print_order, quiet=quiet)
    _finish(result, out_dir, quiet=quiet, as_json=as_json, extra=extra)


def _package(result: BatchResult, inputs: tuple[Path, ...], out_dir: Path,
             zip_file: Path | None, print_file: Path | None, order: str, *,
             quiet: bool) -> dict[str, object]:
    """The --zip and --print-pdf files of a finished batch; what to add to the summary."""
    extra: dict[str, object] = {}
    if print_file is not None:
        from grantdocs.printing import print_pdf

        if "pdf" not in {o.format for o in result.outputs}:
            raise click.UsageError("--print-pdf needs PDF letters: add pdf to --format")
        position = {str(p): i for i, p in enumerate(inputs)}
        in_order = sorted(result.outputs,
                          key=lambda o: (position.get(o.file or "", len(position)), o.row or 0))
        layout = print_pdf(out_dir, in_order, print_file, "input" if order == "input" else "alpha")
        pages = sum(p.pages + p.blank_after for p in layout)
        extra["print_pdf"] = {"path": str(print_file), "letters": len(layout), "pages": pages}
        if not quiet:
            click.echo(f"{print_file}: {len(layout)} letters, {pages} pages", err=True)
    if zip_file is not None:
        from grantdocs.printing import zip_outputs

        count = zip_outputs(out_dir, result.outputs, zip_file)
        extra["zip"] = {"path": str(zip_file), "files": count}
        if not quiet:
            click.echo(f"{zip_file}: {count} files", err=True)
    return extra


@click.command()
@INPUTS
@click.option("--scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Scheme rules (TOML). Default: IMDi's 2022 scheme.")
@click.option("--quiet", "-q", is_flag=True, help="Errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print every issue as JSON on stdout.")
@config_errors
def validate(inputs: tuple[Path, ...], scheme: Path | None, quiet: bool, as_json: bool) -> None:
    """Check every record against the model and the scheme; write nothing.

    Prints all errors and warnings with file, row and column. Exit code 1 when
    any record has an error.
    """
    from grantdocs.batch import validate_inputs

    result = validate_inputs(inputs, scheme)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in result.issues], ensure_ascii=False, indent=2))
        sys.exit(result.exit_code)
    report_issues(result.issues, show_warnings=not quiet)
    if not quiet:
        click.echo(f"{len(result.errors)} errors, {len(result.warnings)} warnings", err=True)
    sys.exit(result.exit_code)


@click.command()
@click.argument("name", required=False, type=click.Choice(["case", "round"]))
def schema(name: str | None) -> None:
    """Print the JSON Schema of the inputs (all, or one: case, round)."""
    from grantdocs.model import json_schemas

    schemas = json_schemas()
    doc = schemas[name] if name else schemas
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
