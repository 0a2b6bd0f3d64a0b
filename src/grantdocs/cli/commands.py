"""The commands. Each parses its options, calls one library function, and reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grantdocs.cli.batch import batch_options, parse_formats, run_product
from grantdocs.cli.options import (
    INPUTS,
    ISSUER,
    OUT,
    SCHEME,
    Choice,
    PathType,
    config_errors,
    issuer_path,
    reading_options,
    report_issues,
    settings_options,
)
from grantdocs.cli.usage import UsageProblem
from grantdocs.messages_cli import ARCHIVE_NEEDS_PDF, PRINT_PDF_NEEDS_PDF

if TYPE_CHECKING:
    from grantdocs.batch import BatchResult

@click.command()
@INPUTS
@OUT
@click.option("--format", "formats", default="pdf", show_default=True,
              help="Comma-separated: pdf, docx, html.")
@settings_options
@reading_options
@batch_options
@click.option("--print-pdf", "print_file", type=PathType(dir_okay=False, path_type=Path),
              help="Also join the PDF letters into one file for duplex printing "
                   "(each letter starts on an odd page).")
@click.option("--print-order", type=Choice(["alpha", "input"]), default="alpha",
              show_default=True,
              help="Order of --print-pdf: recipient in Norwegian alphabetical order, or input.")
@click.option("--archive", is_flag=True,
              help="Also write <letter>.arkivmelding.xml beside each PDF letter: its Noark 5 "
                   "hand-off to the archive (KS Fiks Arkiv v1), with the PDF's size and SHA-256.")
@config_errors
def letters(inputs: tuple[Path, ...], out_dir: Path, formats: str,
            scheme: Path | None, issuer: str | None, templates: Path | None,
            sheet: str | None, columns: Path | None, jobs: int | None, timeout: float,
            force: bool, quiet: bool, as_json: bool, zip_file: Path | None,
            print_file: Path | None, print_order: str, archive: bool) -> None:
    """Write one decision letter per record and format into --out.

    Grants, partial grants and rejections, each in the recipient's written form
    (Målform column, else the organisation's preference, else the issuer's default).
    Invalid records are reported with file, row and column; the valid ones are
    still written (exit code 1). A rerun regenerates only what changed.
    """
    from grantdocs.batch import Settings
    from grantdocs.products import LETTERS

    product = LETTERS.with_archive() if archive else LETTERS
    fmts = parse_formats(LETTERS, formats)
    if print_file is not None and "pdf" not in fmts:
        raise UsageProblem(PRINT_PDF_NEEDS_PDF())
    if archive and "pdf" not in fmts:
        raise UsageProblem(ARCHIVE_NEEDS_PDF())

    def package(result: BatchResult) -> dict[str, object]:
        if print_file is None:
            return {}
        return _print_file(result, inputs, out_dir, print_file, print_order, quiet=quiet)

    settings = Settings(scheme, issuer_path(issuer), templates, sheet=sheet, columns=columns)
    run_product(product, inputs, out_dir, fmts, settings,
                jobs=jobs, timeout=timeout, force=force, quiet=quiet, as_json=as_json,
                zip_file=zip_file, package=package)


def _print_file(result: BatchResult, inputs: tuple[Path, ...], out_dir: Path,
                print_file: Path, order: str, *, quiet: bool) -> dict[str, object]:
    """The --print-pdf file of a finished batch; what to add to the summary."""
    from grantdocs import messages as M
    from grantdocs.bundle import print_pdf
    from grantdocs.i18n import coded

    position = {str(p): i for i, p in enumerate(inputs)}
    in_order = sorted(result.outputs,
                      key=lambda o: (position.get(o.file or "", len(position)), o.row or 0))
    layout = print_pdf(out_dir, in_order, print_file, "input" if order == "input" else "alpha")
    pages = sum(p.pages + p.blank_after for p in layout)
    if not quiet:
        click.echo(coded(M.PRINT_PDF_WRITTEN(file=str(print_file), letters=len(layout),
                                           pages=pages)), err=True)
    return {"print_pdf": {"path": str(print_file), "letters": len(layout), "pages": pages}}


@click.command()
@INPUTS
@SCHEME
@ISSUER
@reading_options
@click.option("--quiet", "-q", is_flag=True, help="Errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print every issue as JSON on stdout.")
@config_errors
def validate(inputs: tuple[Path, ...], scheme: Path | None, issuer: str | None,
             sheet: str | None, columns: Path | None, quiet: bool, as_json: bool) -> None:
    """Check every record against the model, the scheme and the issuer profile; write nothing.

    Prints all errors and warnings with file, row and column (a bad --issuer
    profile: every problem, exit code 2). Exit code 1 when any record has an error.
    """
    from grantdocs import messages as M
    from grantdocs.i18n import coded, issue_dict
    from grantdocs.validate import validate_inputs

    result = validate_inputs(inputs, scheme, sheet=sheet, columns=columns,
                             issuer=issuer_path(issuer))
    if as_json:
        click.echo(json.dumps([issue_dict(i) for i in result.issues], ensure_ascii=False,
                              indent=2))
        sys.exit(result.exit_code)
    report_issues(result.issues, show_warnings=not quiet)
    if not quiet:
        summary = M.VALIDATE_SUMMARY(errors=M.ERRORS(count=len(result.errors)),
                                     warnings=M.WARNINGS(count=len(result.warnings)))
        click.echo(coded(summary), err=True)
    sys.exit(result.exit_code)


@click.command()
@click.argument("name", required=False, type=Choice(["case", "round"]))
def schema(name: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a JSON input file, or of one case or round."""
    from grantdocs.model import json_schema, json_schemas

    doc = json_schemas()[name] if name else json_schema()
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
