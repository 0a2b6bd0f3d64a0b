"""``grantdocs issuer init`` and ``grantdocs issuer check``: an issuer profile to fill in,
and whether it can be used."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grantdocs import messages_issuer as I
from grantdocs.catalog import Text, joined
from grantdocs.cli.options import FILE, PathType
from grantdocs.cli.usage import LocalGroup
from grantdocs.errors import ConfigError, ExitCode
from grantdocs.i18n import coded, say


@click.group(cls=LocalGroup)
def issuer() -> None:
    """Issuer profiles: the letterhead, signatories and language policy of who decides.

    `grantdocs issuer init sandnes.toml` writes a profile with every field
    commented; fill it in, then `grantdocs issuer check sandnes.toml`.
    """


@issuer.command()
@click.argument("file", required=False, default="issuer.toml",
                type=PathType(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def init(file: Path, force: bool) -> None:
    """Write a commented issuer profile to FILE (default: issuer.toml) to fill in."""
    from grantdocs.files import atomic_write
    from grantdocs.issuer import ISSUER_TEMPLATE

    if file.exists() and not force:
        raise ConfigError(I.ISSUER_FILE_EXISTS(file=str(file)))
    if not file.parent.is_dir():
        raise ConfigError(I.ISSUER_NO_FOLDER(folder=str(file.parent)))
    atomic_write(file, ISSUER_TEMPLATE.read_bytes())
    click.echo(coded(I.ISSUER_WRITTEN(file=str(file))), err=True)


@issuer.command()
@click.argument("file", type=FILE)
def check(file: Path) -> None:
    """Check the issuer profile FILE: every field, the numbers' check digits, the logo.

    Prints each problem with the field's name as it is written in the file and
    exits with 2, or says the profile can be used (exit 0).
    """
    from grantdocs.issuer import issuer_problems

    profile, problems = issuer_problems(file)
    if problems or profile is None:
        for problem in problems:
            click.secho(f"{file}: {say(problem)} [{problem.code}]" if problem.code
                        else f"{file}: {say(problem)}", fg="red", err=True)
        click.echo(coded(I.ISSUER_CHECK_FAILED(file=str(file), count=len(problems))), err=True)
        sys.exit(ExitCode.UNUSABLE)
    logo = profile.logo_image()
    own = profile.default_language.value
    policy = (I.POLICY_RECIPIENT(own=own) if profile.language_policy == "recipient"
              else I.POLICY_OWN(own=own))
    details: list[Text] = [I.SIGNATORIES(count=len(profile.signatories)), policy]
    if logo is not None:
        details.append(I.LOGO_SIZE(width=logo.width_px, height=logo.height_px,
                                   width_mm=f"{logo.width_mm:g}", height_mm=f"{logo.height_mm:g}"))
    click.echo(coded(I.ISSUER_USABLE(file=str(file), name=profile.name.nb,
                                   details=joined(details, "; "))))
