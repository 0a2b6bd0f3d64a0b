"""``grantdocs export``: a round's awards as open data (360Giving, tilskudd.no's columns)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from grantdocs.cli.options import (
    INPUTS,
    PathType,
    config_errors,
    issuer_path,
    reading_options,
    report_issues,
    settings_options,
)
from grantdocs.cli.usage import LocalGroup

F = TypeVar("F", bound=Callable[..., Any])


def _out(formats: str) -> Callable[[F], F]:
    return click.option("--out", "out_file", required=True,
                        type=PathType(dir_okay=False, path_type=Path),
                        help=f"Output file: {formats} (the suffix chooses the format).")


def _report(func: F) -> F:
    func = click.option("--json", "as_json", is_flag=True,
                        help="Print a JSON summary on stdout.")(func)
    return click.option("--quiet", "-q", is_flag=True, help="Errors only.")(func)


def _run(export: str, inputs: tuple[Path, ...], out_file: Path, scheme: Path | None,
         issuer: str | None, templates: Path | None, sheet: str | None, columns: Path | None,
         quiet: bool, as_json: bool, id_prefix: str | None = None) -> None:
    from grantdocs import messages_commands as C
    from grantdocs.exports import export_round
    from grantdocs.formatting import format_amount
    from grantdocs.i18n import coded

    result = export_round(export, inputs, out_file, scheme=scheme, issuer=issuer_path(issuer),
                          templates=templates, id_prefix=id_prefix, sheet=sheet,
                          columns=columns)
    report_issues(result.issues, show_warnings=not quiet)
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
    elif not quiet:
        left_out = C.EXPORT_LEFT_OUT(count=result.failed) if result.failed else ""
        click.echo(coded(C.EXPORT_WRITTEN(file=str(out_file), awards=result.awards,
                                        total=format_amount(result.total), left_out=left_out)),
                   err=True)
    sys.exit(result.exit_code)


@click.group(cls=LocalGroup)
def export() -> None:
    """A round's awards (granted and partially granted decisions) as open data."""


@export.command("360giving")
@INPUTS
@_out("FILE.json or FILE.csv")
@settings_options
@reading_options
@click.option("--id-prefix", metavar="PREFIX",
              help="Before each reference in the grant identifiers: your 360Giving prefix "
                   "(default: 360G-<issuer id>).")
@_report
@config_errors
def giving360(inputs: tuple[Path, ...], out_file: Path, scheme: Path | None,
              issuer: str | None, templates: Path | None, sheet: str | None,
              columns: Path | None, id_prefix: str | None, quiet: bool, as_json: bool) -> None:
    """Write the awards in the 360Giving Data Standard (JSON data package or flattened CSV).

    Organisations are identified in the org-id form (NO-BRC-<organisation
    number>), amounts are in NOK, and the scheme is the grant programme.
    Invalid records are reported and left out (exit code 1).
    """
    _run("360giving", inputs, out_file, scheme, issuer, templates, sheet, columns, quiet,
         as_json, id_prefix)


@export.command("tilskudd")
@INPUTS
@_out("FILE.csv or FILE.xlsx")
@settings_options
@reading_options
@_report
@config_errors
def tilskudd(inputs: tuple[Path, ...], out_file: Path, scheme: Path | None,
             issuer: str | None, templates: Path | None, sheet: str | None,
             columns: Path | None, quiet: bool, as_json: bool) -> None:
    """Write the awards in the columns tilskudd.no publishes (recipient, organisation number,
    amount, scheme, year), as CSV (';', UTF-8 with BOM) or XLSX.

    Invalid records are reported and left out (exit code 1).
    """
    _run("tilskudd", inputs, out_file, scheme, issuer, templates, sheet, columns, quiet, as_json)
