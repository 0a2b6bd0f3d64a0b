"""The ``grantdocs`` command: a thin face over the library.

Exit codes: 0 all written, 1 some records failed (the rest were written),
2 usage or configuration error. Heavy modules (WeasyPrint, openpyxl) are
imported inside the commands, so ``grantdocs --help`` starts fast.
"""

from __future__ import annotations

import sys

import click

from grantdocs import __version__
from grantdocs.cli.accounts import accounts_workbooks, checklist, read_accounts_command
from grantdocs.cli.commands import letters, schema, validate
from grantdocs.cli.demo import demo
from grantdocs.cli.reports import repayment_claim, report_templates
from grantdocs.cli.stats import stats


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grantdocs")
def cli() -> None:
    """Norwegian grant documents in Bokmål and Nynorsk: letters, reports, checklists, statistics.

    Input is JSON, CSV or XLSX (a caseworker's sheet with Norwegian column
    headers). Run `grantdocs demo` to see it work on the bundled samples.
    """


for command in (letters, validate, schema, report_templates, accounts_workbooks,
                read_accounts_command, checklist, repayment_claim, stats, demo):
    cli.add_command(command)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted: finished files and the manifest are kept.", err=True)
        sys.exit(130)
