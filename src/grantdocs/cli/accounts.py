"""Commands for grantees' accounts: workbooks, reading returns back, control checklists.

Exit codes: 0 ok, 1 a record or returned workbook was refused, 2 usage or configuration error.
"""

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
    FILES_FOLDER,
    INPUTS,
    OUT,
    SCHEME,
    config_errors,
    issuer_path,
    reading_options,
    settings_options,
)
from grantdocs.cli.usage import CodedBadParameter, UsageProblem
from grantdocs.messages_cli import NO_WORKBOOKS, RECEIVED_NEEDED

if TYPE_CHECKING:
    from grantdocs.model import Case



def _find_case(inputs: tuple[Path, ...], reference: str, scheme: Path | None) -> Case | None:
    from grantdocs.validate import cases_by_reference

    return cases_by_reference(inputs, scheme).valid.get(reference)


@click.command("accounts-workbooks")
@INPUTS
@OUT
@settings_options
@reading_options
@batch_options
@config_errors
def accounts_workbooks(inputs: tuple[Path, ...], out_dir: Path, scheme: Path | None,
                       issuer: str | None, templates: Path | None, sheet: str | None,
                       columns: Path | None, jobs: int | None, timeout: float,
                       force: bool, quiet: bool, as_json: bool, zip_file: Path | None) -> None:
    """Write one pre-filled accounts workbook (XLSX) per granted or partial decision.

    Each is in the recipient's written form. Rejections are skipped (listed in
    the manifest as skipped); invalid records are reported and the rest are
    still written (exit code 1). A rerun regenerates only what changed.
    """
    from grantdocs.batch import Settings
    from grantdocs.products import ACCOUNTS_WORKBOOKS

    run_product(ACCOUNTS_WORKBOOKS, inputs, out_dir, ("xlsx",),
                Settings(scheme, issuer_path(issuer), templates, sheet=sheet, columns=columns),
                jobs=jobs, timeout=timeout, force=force,
                quiet=quiet, as_json=as_json, zip_file=zip_file)


@click.command("read-accounts")
@click.argument("file", type=FILE)
@click.option("--decisions", "decisions", multiple=True,
              type=FILE, help="Decisions (JSON, CSV or XLSX) to check the workbook against.")
@SCHEME
@config_errors
def read_accounts_command(file: Path, decisions: tuple[Path, ...], scheme: Path | None) -> None:
    """Read a returned accounts workbook and print it as validated JSON.

    Every total is recomputed from the input cells. With --decisions the workbook
    must belong to a decision there (reference, organisation number, grant).
    Problems in single cells are listed in the JSON as a code with its
    parameters, and printed with their codes in the user's language (GRANTDOCS_LANG,
    LANG), as checklists word them in Bokmål or Nynorsk. Exit code 1 when the
    workbook is refused or has unreadable cells.
    """
    from grantdocs import messages_files as F
    from grantdocs import messages_readers as R
    from grantdocs.errors import AccountsError
    from grantdocs.i18n import coded, error_text, part
    from grantdocs.messages import ERROR, WARNING
    from grantdocs.readers.accounts_return import read_accounts

    try:
        accounts = read_accounts(file)
        if decisions:
            case = _find_case(decisions, accounts.reference, scheme)
            if case is None:
                raise AccountsError(F.RETURN_DECISION_NOT_GIVEN(
                    reference=accounts.reference, files=", ".join(map(str, decisions))))
            accounts = read_accounts(file, case)
    except AccountsError as exc:
        click.secho(f"{part(ERROR)}: {file}: {error_text(exc)}", fg="red", err=True)
        sys.exit(1)
    click.echo(accounts.model_dump_json(indent=2))
    for severity, notes, colour in ((ERROR, accounts.errors, "red"),
                                    (WARNING, accounts.warnings, "yellow")):
        for note in notes:  # in the user's language, with the note's code
            text = R.READBACK[note.code](**note.params)
            click.secho(f"{part(severity)}: {file}: {coded(text)}", fg=colour, err=True)
    sys.exit(1 if accounts.errors else 0)


def _returns(paths: tuple[Path, ...]) -> list[Path]:
    """The returned workbooks: files as given, folders as their *.xlsx files in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.xlsx")
                                if p.is_file() and not p.name.startswith("~$")))
        else:
            found.append(path)
    if not found:
        raise CodedBadParameter(NO_WORKBOOKS(paths=", ".join(map(str, paths))),
                                param_hint="'--return'")
    return found


@click.command("checklist")
@click.option("--decisions", "decisions", required=True, multiple=True,
              type=FILE, help="Decisions (JSON, CSV or XLSX).")
@click.option("--return", "returned", required=True, multiple=True, type=FILES_FOLDER,
              help="A returned accounts workbook (XLSX), or a folder of them. Repeatable.")
@click.option("--received", type=DATE,
              help="The date the reports arrived, e.g. 2023-02-20 (for every return not in "
                   "--received-list).")
@click.option("--received-list", type=FILE,
              help="CSV of reference and date received, one return per line "
                   "(22/00133-5;20.02.2023).")
@OUT
@click.option("--format", "formats", default="pdf,xlsx", show_default=True,
              help="Comma-separated: pdf, xlsx, html.")
@click.option("--auditor", is_flag=True, help="Also write the auditor's procedures.")
@settings_options
@reading_options
@batch_options
@config_errors
def checklist(decisions: tuple[Path, ...], returned: tuple[Path, ...], received: dt.date | None,
              received_list: Path | None, out_dir: Path, formats: str, auditor: bool,
              scheme: Path | None, issuer: str | None, templates: Path | None,
              sheet: str | None, columns: Path | None,
              jobs: int | None, timeout: float, force: bool, quiet: bool, as_json: bool,
              zip_file: Path | None) -> None:
    """Write the control checklist for every returned accounts workbook.

    Each workbook is matched to its decision by the reference in its hidden
    identifiers and read back with every total recomputed. With --auditor the
    auditor's procedures are written too. A workbook that is refused (altered,
    or belonging to no decision given) is reported and the rest are still
    written (exit code 1). A rerun regenerates only what changed, the
    workbook's bytes included.
    """
    from grantdocs.batch import Settings
    from grantdocs.products import checklists
    from grantdocs.readers.received_dates import read_received_dates

    received_on = read_received_dates(received_list) if received_list is not None else {}
    product = checklists(decisions, received=received, received_on=received_on, auditor=auditor)
    if received is None and received_list is None:
        raise UsageProblem(RECEIVED_NEEDED())
    run_product(product, _returns(returned), out_dir, parse_formats(product, formats),
                Settings(scheme, issuer_path(issuer), templates, sheet=sheet, columns=columns),
                jobs=jobs, timeout=timeout, force=force,
                quiet=quiet, as_json=as_json, zip_file=zip_file)
