"""``grantdocs stats``: a round's allocation statistics as PDF/A or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from grantdocs.cli.options import (
    INPUTS,
    SCHEME_FILE,
    Choice,
    PathType,
    config_errors,
    report_issues,
)
from grantdocs.cli.usage import CodedBadParameter
from grantdocs.messages_cli import IS_A_FOLDER, STATS_SUFFIX
from grantdocs.messages_issuer import ISSUER_NO_FOLDER

if TYPE_CHECKING:
    from grantdocs.errors import Issue
    from grantdocs.model import Case

OUT_SUFFIXES = (".pdf", ".xlsx")


def _out_file(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() not in OUT_SUFFIXES:
        raise CodedBadParameter(STATS_SUFFIX(path=repr(str(value))), ctx, param)
    if value.is_dir():
        raise CodedBadParameter(IS_A_FOLDER(path=repr(str(value))), ctx, param)
    if not value.parent.is_dir():
        raise CodedBadParameter(ISSUER_NO_FOLDER(folder=str(value.parent)), ctx, param)
    return value


@click.command()
@INPUTS
@click.option("--out", "out_file", required=True, callback=_out_file,
              type=PathType(dir_okay=False, path_type=Path),
              help="The file to write: FILE.pdf (PDF/A with charts) or FILE.xlsx.")
@click.option("--lang", type=Choice(["nb", "nn"]), default="nb", show_default=True,
              help="Written form: nb (Bokmål) or nn (Nynorsk).")
@click.option("--scheme", type=SCHEME_FILE, metavar="FILE|NAME",
              help="Scheme rules (TOML) the records are checked against, or a bundled scheme "
                   "(see grantdocs letters --help). Default: IMDi's 2022 scheme.")
@click.option("--templates", type=PathType(exists=True, file_okay=False, path_type=Path),
              help="Folder whose files replace the bundled ones (nb/stats.html, nb/stats.toml, "
                   "stats.css, ...).")
@click.option("--quiet", "-q", is_flag=True, help="Errors only; no warnings or summary.")
@config_errors
def stats(inputs: tuple[Path, ...], out_file: Path, lang: str, scheme: Path | None,
          templates: Path | None, quiet: bool) -> None:
    """Allocation statistics of a round: headline figures, breakdowns, recipients.

    Reads and checks every record like `grantdocs validate`. Every decision that
    can be read is counted, also one that breaks a scheme rule (the breach is a
    warning); records that cannot be read are reported with file, row and column
    and left out of the figures (exit code 1, the file is still written). Prints
    the seven headline figures as tilskudd.no shows them (Omsøkt, Tildelt,
    Innvilget, Søkere, Mottakere, Søknader, Tildelinger) and writes --out
    atomically.
    """
    from grantdocs import messages_commands as C
    from grantdocs.decide.stats import compute_stats
    from grantdocs.documents import StatsFormat, render_stats
    from grantdocs.files import atomic_write
    from grantdocs.formatting import format_number
    from grantdocs.i18n import coded
    from grantdocs.render.stats import StatsLang, headline_lines
    from grantdocs.scheme import load_scheme
    from grantdocs.validate import check_inputs

    cases: list[Case] = []
    issues: list[Issue] = []
    excluded = 0
    for checked in check_inputs(inputs, scheme, breaches_as_warnings=True):
        issues.extend(checked.issues)
        if checked.case is None:
            excluded += 1
        else:
            cases.append(checked.case)
    report_issues(issues, show_warnings=not quiet)
    if excluded:
        click.secho(coded(C.STATS_LEFT_OUT(count=excluded, counted=len(cases))), fg="red",
                    err=True)

    result = compute_stats(cases)
    rules = load_scheme(scheme)
    written: StatsLang = "nn" if lang == "nn" else "nb"
    fmt: StatsFormat = "pdf" if out_file.suffix.lower() == ".pdf" else "xlsx"
    data = render_stats(result, fmt, written, templates=templates,
                        subtitle=f"{rules.name(lang)} {rules.year}")
    atomic_write(out_file, data)
    for line in headline_lines(result, lang, templates):
        click.echo(line)
    if not quiet:
        click.echo(coded(C.STATS_WRITTEN(file=str(out_file), size=format_number(len(data)))),
                   err=True)
    sys.exit(1 if excluded else 0)
