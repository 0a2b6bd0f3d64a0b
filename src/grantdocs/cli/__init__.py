"""The ``grantdocs`` command: a thin face over the library.

Exit codes: 0 all written, 1 some records failed (the rest were written),
2 usage or configuration error. Heavy modules (WeasyPrint, openpyxl) are
imported inside the commands, so ``grantdocs --help`` starts fast.
"""

from __future__ import annotations

import sys

import click

from grantdocs import __version__
from grantdocs.cli.commands import demo, letters, schema, validate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grantdocs")
def cli() -> None:
    """Norwegian grant documents in Bokmål and Nynorsk: decision letters as PDF/A and DOCX.

    Input is JSON, CSV or XLSX (a caseworker's sheet with Norwegian column
    headers). Run `grantdocs demo` to see it work on the bundled samples.
    """


for command in (letters, validate, schema, demo):
    cli.add_command(command)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("Interrupted: finished files and the manifest are kept.", err=True)
        sys.exit(130)
