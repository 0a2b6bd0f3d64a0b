"""Commands for grantee documents: annual report templates and repayment claims."""

from __future__ import annotations

import datetime as dt
import sys
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
    from grantdocs.letters import LetterRenderer


def _renderer(scheme: Path | None, issuer: str | None, templates: Path | None) -> LetterRenderer:
    from grantdocs.letters import LetterRenderer
    from grantdocs.scheme import load_issuer, load_scheme

    return LetterRenderer(load_scheme(scheme), load_issuer(issuer), templates)


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
@click.option("--return", "returned", required=True, type=FILE,
              help="The accounts workbook the grantee sent back.")
@click.option("--received", required=True, type=DATE,
              help="Date the accounts arrived (15.02.2023).")
@click.option("--date", "claim_date", type=DATE, default=None,
              help="Date of the claim (default: today).")
@OUT
@click.option("--format", "formats", default="pdf,docx", show_default=True)
@settings_options
@config_errors
def repayment_claim(decisions: tuple[Path, ...], returned: Path, received: dt.date,
                    claim_date: dt.date | None, out_dir: Path, formats: str, scheme: Path | None,
                    issuer: str | None, templates: Path | None) -> None:
    """Draft the claim for unspent grant money from a returned accounts workbook.

    The claim is a new decision: it carries reasons and appeal information.
    Exit code 1 when nothing is unspent (no claim is written).
    """
    from grantdocs.accounts import read_accounts
    from grantdocs.batch.jobs import safe_stem
    from grantdocs.files import atomic_write
    from grantdocs.reports import render_repayment_claim
    from grantdocs.reports import repayment_claim as make_claim
    from grantdocs.validate import cases_by_reference

    arrived = received
    when = claim_date or dt.date.today()
    accounts = read_accounts(returned)
    case = cases_by_reference(decisions, scheme).valid.get(accounts.reference)
    if case is None:
        click.secho(f"error: no valid decision {accounts.reference} in the decisions given",
                    fg="red", err=True)
        sys.exit(1)
    accounts = read_accounts(returned, case)
    if accounts.unspent <= 0:
        click.echo(f"{case.reference}: nothing unspent; no claim needed", err=True)
        sys.exit(1)
    claim = make_claim(case, accounts.unspent, received=arrived, claim_date=when)
    renderer = _renderer(scheme, issuer, templates)
    out_dir.mkdir(parents=True, exist_ok=True)
    for fmt in (f.strip() for f in formats.split(",") if f.strip()):
        if fmt not in ("pdf", "docx"):
            raise click.BadParameter("use pdf, docx or pdf,docx", param_hint="--format")
        stem = safe_stem(case.reference, case.organisation.name)
        path = out_dir / f"{stem}_tilbakebetaling.{fmt}"
        atomic_write(path, render_repayment_claim(case, claim, fmt, renderer))
        click.echo(str(path))
