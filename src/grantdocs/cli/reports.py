"""Commands for grantee documents: annual report templates and repayment claims."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grantdocs.cli.batch import batch_options, parse_formats, run_product
from grantdocs.cli.options import (
    DATE,
    FILE,
    INPUTS,
    OUT,
    config_errors,
    issuer_path,
    reading_options,
    settings_options,
)

if TYPE_CHECKING:
    from grantdocs.batch import BatchResult


@click.command("report-templates")
@INPUTS
@OUT
@click.option("--format", "formats", default="docx", show_default=True,
              help="Comma-separated: docx, html.")
@settings_options
@reading_options
@batch_options
@config_errors
def report_templates(inputs: tuple[Path, ...], out_dir: Path, formats: str,
                     scheme: Path | None, issuer: str | None, templates: Path | None,
                     sheet: str | None, columns: Path | None, jobs: int | None, timeout: float,
                     force: bool, quiet: bool, as_json: bool, zip_file: Path | None) -> None:
    """Write a pre-filled annual report template (DOCX) for every granted decision.

    Rejections are skipped (listed in the manifest as skipped); invalid records
    are reported with file, row and column and the rest are still written
    (exit code 1). A rerun regenerates only what changed.
    """
    from grantdocs.batch import Settings
    from grantdocs.products import REPORT_TEMPLATES

    run_product(REPORT_TEMPLATES, inputs, out_dir, parse_formats(REPORT_TEMPLATES, formats),
                Settings(scheme, issuer_path(issuer), templates, sheet=sheet, columns=columns),
                jobs=jobs, timeout=timeout, force=force,
                quiet=quiet, as_json=as_json, zip_file=zip_file)


@click.command("repayment-claim")
@click.option("--decisions", "decisions", multiple=True, required=True,
              type=FILE, help="The round's decisions (JSON, CSV or XLSX).")
@click.option("--return", "returned", multiple=True, required=True, type=FILE,
              help="An accounts workbook the grantee sent back (repeat for several).")
@click.option("--received", required=True, type=DATE,
              help="Date the accounts arrived (15.02.2023).")
@click.option("--date", "claim_date", type=DATE, default=None,
              help="Date of the claim (default: today).")
@OUT
@click.option("--format", "formats", default="pdf,docx", show_default=True,
              help="Comma-separated: pdf, docx.")
@settings_options
@batch_options
@config_errors
def repayment_claim(decisions: tuple[Path, ...], returned: tuple[Path, ...], received: dt.date,
                    claim_date: dt.date | None, out_dir: Path, formats: str, scheme: Path | None,
                    issuer: str | None, templates: Path | None, jobs: int | None,
                    timeout: float, force: bool, quiet: bool, as_json: bool,
                    zip_file: Path | None) -> None:
    """Draft the claim for unspent grant money from each returned accounts workbook.

    The claim is a new decision: it carries reasons and appeal information. The
    files written are printed on stdout. Exit code 1 when nothing is unspent (no
    claim is written) or a return cannot be used.
    """
    from grantdocs.batch import Settings
    from grantdocs.products import repayment_claims

    kind = repayment_claims(decisions, received=received, claim_date=claim_date)

    def written(result: BatchResult) -> dict[str, object]:
        for row in result.outputs:
            if row.path and row.status in ("written", "kept"):
                click.echo(str(out_dir / row.path))
            elif row.status == "skipped":
                click.echo(f"{row.reference}: {row.error}", err=True)
        return {}

    def nothing_claimed(result: BatchResult) -> int:
        return result.exit_code or (1 if result.count("skipped") else 0)

    run_product(kind, returned, out_dir, parse_formats(kind, formats),
                Settings(scheme, issuer_path(issuer), templates), jobs=jobs, timeout=timeout,
                force=force, quiet=quiet, as_json=as_json, zip_file=zip_file, package=written,
                exit_code=nothing_claimed)
