"""Commands for grantees' accounts: workbooks, reading returns back, control checklists.

Exit codes: 0 ok, 1 a record or returned workbook was refused, 2 usage or configuration error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grantdocs.cli.options import INPUTS, config_errors, report_issues

if TYPE_CHECKING:
    from grantdocs.model import Case

CHECKLIST_FORMATS = ("pdf", "xlsx", "html")
SCHEME = click.option("--scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help="Scheme rules (TOML). Default: IMDi's 2022 scheme.")


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    if not formats or any(f not in CHECKLIST_FORMATS for f in formats):
        raise click.BadParameter(f"use a comma-separated list of {', '.join(CHECKLIST_FORMATS)}")
    return formats


def _date(value: str) -> dt.date:
    from grantdocs.readers.coerce import CoerceError, date

    try:
        parsed = date(value)
    except CoerceError as exc:
        raise click.BadParameter(str(exc)) from None
    if parsed is None:
        raise click.BadParameter("a date is required, e.g. 2023-02-20 or 20.02.2023")
    return parsed


def _find_case(inputs: tuple[Path, ...], reference: str, scheme: Path | None) -> Case | None:
    from grantdocs.batch import check_inputs

    for checked in check_inputs(inputs, scheme):
        if checked.case is not None and checked.case.reference == reference:
            return checked.case
    return None


@click.command("accounts-workbooks")
@INPUTS
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@SCHEME
@click.option("--quiet", "-q", is_flag=True, help="Errors only.")
@config_errors
def accounts_workbooks(inputs: tuple[Path, ...], out_dir: Path, scheme: Path | None,
                       quiet: bool) -> None:
    """Write one pre-filled accounts workbook (XLSX) per granted or partial decision.

    Each is in the recipient's written form. Rejections are skipped; invalid
    records are reported and the rest are still written (exit code 1).
    """
    from grantdocs.accounts import is_reportable, write_accounts_workbook
    from grantdocs.batch import atomic_write, check_inputs
    from grantdocs.letters import safe_stem
    from grantdocs.scheme import load_scheme

    rules = load_scheme(scheme)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = failed = skipped = 0
    for checked in check_inputs(inputs, scheme):
        report_issues(checked.issues, show_warnings=not quiet)
        case = checked.case
        if case is None:
            failed += 1
            continue
        if not is_reportable(case):
            skipped += 1
            continue
        name = f"{safe_stem(case.reference, case.organisation.name)}_regnskap.xlsx"
        atomic_write(out_dir / name, write_accounts_workbook(case, rules))
        written += 1
    if not quiet:
        click.echo(f"{written} workbooks written, {skipped} rejections skipped, "
                   f"{failed} failed in {out_dir}", err=True)
    sys.exit(1 if failed else 0)


@click.command("read-accounts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--decisions", "decisions", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Decisions (JSON, CSV or XLSX) to check the workbook against.")
@SCHEME
@config_errors
def read_accounts_command(file: Path, decisions: tuple[Path, ...], scheme: Path | None) -> None:
    """Read a returned accounts workbook and print it as validated JSON.

    Every total is recomputed from the input cells. With --decisions the workbook
    must belong to a decision there (reference, organisation number, grant).
    Exit code 1 when the workbook is refused or has unreadable cells.
    """
    from grantdocs.accounts import AccountsError, read_accounts

    try:
        accounts = read_accounts(file)
        if decisions:
            case = _find_case(decisions, accounts.reference, scheme)
            if case is None:
                raise AccountsError(f"decision {accounts.reference} is not among the valid "
                                    f"records in {', '.join(map(str, decisions))}")
            accounts = read_accounts(file, case)
    except AccountsError as exc:
        click.secho(f"error: {file}: {exc}", fg="red", err=True)
        sys.exit(1)
    click.echo(accounts.model_dump_json(indent=2))
    for message in accounts.errors:
        click.secho(f"error: {message}", fg="red", err=True)
    for message in accounts.warnings:
        click.secho(f"warning: {message}", fg="yellow", err=True)
    sys.exit(1 if accounts.errors else 0)


@click.command("checklist")
@click.option("--decisions", "decisions", required=True, multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Decisions (JSON, CSV or XLSX).")
@click.option("--return", "returned", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The grantee's returned accounts workbook (XLSX).")
@click.option("--received", required=True, callback=lambda c, p, v: _date(v),
              help="The date the report arrived, e.g. 2023-02-20.")
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--format", "formats", default="pdf,xlsx", show_default=True,
              callback=lambda c, p, v: _formats(v), help="Comma-separated: pdf, xlsx, html.")
@click.option("--auditor", is_flag=True, help="Also write the auditor's procedures.")
@SCHEME
@config_errors
def checklist(decisions: tuple[Path, ...], returned: Path, received: dt.date, out_dir: Path,
              formats: tuple[str, ...], auditor: bool, scheme: Path | None) -> None:
    """Write the control checklist for a returned workbook (and --auditor: the procedures)."""
    from grantdocs.accounts import AccountsError, read_accounts
    from grantdocs.accounts.checklist import (
        build_audit_procedures,
        build_checklist,
        render_checklist,
    )
    from grantdocs.batch import atomic_write
    from grantdocs.letters import safe_stem
    from grantdocs.scheme import load_scheme

    rules = load_scheme(scheme)
    try:
        reference = read_accounts(returned).reference
        case = _find_case(decisions, reference, scheme)
        if case is None:
            raise AccountsError(f"decision {reference} is not among the valid records in "
                                f"{', '.join(map(str, decisions))}")
        accounts = read_accounts(returned, case)
    except AccountsError as exc:
        click.secho(f"error: {returned}: {exc}", fg="red", err=True)
        sys.exit(1)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(case.reference, case.organisation.name)
    documents = [("kontroll", build_checklist(case, accounts, received, rules))]
    if auditor:
        documents.append(("revisor", build_audit_procedures(case, rules, accounts)))
    written = []
    for suffix, document in documents:
        for fmt in formats:
            path = out_dir / f"{stem}_{suffix}.{fmt}"
            atomic_write(path, render_checklist(document, fmt))  # type: ignore[arg-type]
            written.append(str(path))
    checks = [{"check": r.check, "status": r.status_label, "figures": r.figures}
              for r in documents[0][1].rows]
    click.echo(json.dumps({"reference": case.reference, "written": written, "checks": checks},
                          ensure_ascii=False, indent=2))
    sys.exit(0)
