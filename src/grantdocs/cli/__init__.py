"""The ``grantdocs`` command: a thin face over the library.

Exit codes (:class:`grantdocs.errors.ExitCode`): 0 all written, 1 some records
failed (the rest were written), 2 usage, configuration or an input that cannot
be used, 130 interrupted. The group reports every deliberate error of every
command in one place (:func:`grantdocs.cli.options.reported_errors`). Heavy
modules (WeasyPrint, openpyxl) are imported inside the commands, so
``grantdocs --help`` starts fast.
"""

from __future__ import annotations

from typing import Any

import click

from grantdocs import __version__
from grantdocs.cli.accounts import accounts_workbooks, checklist, read_accounts_command
from grantdocs.cli.commands import letters, schema, validate
from grantdocs.cli.demo import demo
from grantdocs.cli.export import export
from grantdocs.cli.issuer import issuer
from grantdocs.cli.options import reported_errors
from grantdocs.cli.reports import repayment_claim, report_templates
from grantdocs.cli.scheme import scheme
from grantdocs.cli.serve import serve
from grantdocs.cli.stats import stats
from grantdocs.cli.token import token
from grantdocs.cli.usage import LocalGroup
from grantdocs.cli.worker import worker


class Commands(LocalGroup):
    """The command group; it turns every command's deliberate errors into a message and a code,
    and click's usage errors into the user's language (:class:`grantdocs.cli.usage.LocalGroup`,
    still exit code 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        with reported_errors():
            return super().invoke(ctx)


@click.group(cls=Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grantdocs")
def cli() -> None:
    """Norwegian grant documents in Bokmål and Nynorsk: letters, reports, checklists, statistics.

    Input is JSON, CSV or XLSX (a caseworker's sheet with Norwegian column
    headers). Run `grantdocs demo` to see it work on the bundled samples.

    Exit codes: 0 all written, 1 some records failed (the rest were written),
    2 the input or configuration cannot be used, 130 interrupted.
    """


for command in (letters, validate, schema, report_templates, accounts_workbooks,
                read_accounts_command, checklist, repayment_claim, stats, demo, export, scheme,
                token, serve, worker):
    cli.add_command(command)
cli.add_command(issuer)  # issuer init, issuer check


def main() -> None:
    cli.main(standalone_mode=True)
