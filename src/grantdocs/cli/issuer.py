"""``grantdocs issuer init`` and ``grantdocs issuer check``: an issuer profile to fill in,
and whether it can be used."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grantdocs.cli.options import FILE
from grantdocs.errors import ConfigError, ExitCode


@click.group()
def issuer() -> None:
    """Issuer profiles: the letterhead, signatories and language policy of who decides.

    `grantdocs issuer init sandnes.toml` writes a profile with every field
    commented; fill it in, then `grantdocs issuer check sandnes.toml`.
    """


@issuer.command()
@click.argument("file", required=False, default="issuer.toml",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def init(file: Path, force: bool) -> None:
    """Write a commented issuer profile to FILE (default: issuer.toml) to fill in."""
    from grantdocs.files import atomic_write
    from grantdocs.issuer import ISSUER_TEMPLATE

    if file.exists() and not force:
        raise ConfigError(f"{file} exists; give another name, or --force to replace it")
    if not file.parent.is_dir():
        raise ConfigError(f"the folder {file.parent} does not exist")
    atomic_write(file, ISSUER_TEMPLATE.read_bytes())
    click.echo(f"{file}: written. Fill in every \"\" value, then run: "
               f"grantdocs issuer check {file}", err=True)


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
            click.secho(f"{file}: {problem}", fg="red", err=True)
        click.echo(f"{file}: {len(problems)} problem(s); the profile cannot be used yet",
                   err=True)
        sys.exit(ExitCode.UNUSABLE)
    logo = profile.logo_image()
    own = profile.default_language.value
    policy = (f"letters in the recipient's written form, else {own}"
              if profile.language_policy == "recipient" else f"letters always in {own}")
    details = [f"{len(profile.signatories)} signatories", policy]
    if logo is not None:
        details.append(f"logo {logo.width_px} × {logo.height_px} pixels, drawn "
                       f"{logo.width_mm:g} × {logo.height_mm:g} mm")
    click.echo(f"{file}: the profile of {profile.name.nb} can be used ({'; '.join(details)})")
