"""Options shared by the commands, and how errors are reported."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from grantdocs.errors import Issue

F = TypeVar("F", bound=Callable[..., Any])

INPUTS = click.argument(
    "inputs", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)

SCHEME = click.option("--scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help="Scheme rules (TOML). Default: IMDi's 2022 scheme.")
OUT = click.option("--out", "out_dir", required=True,
                   type=click.Path(file_okay=False, path_type=Path), help="Output folder.")


def settings_options(func: F) -> F:
    """--scheme, --issuer and --templates."""
    func = click.option(
        "--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder whose files replace the bundled templates of the same name "
             "(nb/letter-granted.html, letter.css, ...).")(func)
    func = click.option(
        "--issuer", metavar="FILE|NAME",
        help="Issuer profile (TOML), or a bundled one: imdi, bjornafjorden. Default: imdi.")(func)
    return SCHEME(func)


def config_errors(func: F) -> F:
    """Turn every deliberate grantdocs error into one clear message and its exit code.

    This is the one place where the error kinds of ``grantdocs.errors`` meet the
    documented exit codes: each kind carries its own ``exit_code``.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from grantdocs.errors import GrantdocsError

        try:
            return func(*args, **kwargs)
        except GrantdocsError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def report_issues(issues: Iterable[Issue], *, show_warnings: bool = True) -> None:
    for issue in issues:
        if issue.is_error:
            click.secho(str(issue), fg="red", err=True)
        elif show_warnings:
            click.secho(str(issue), fg="yellow", err=True)


def issuer_path(issuer: str | None) -> Path | None:
    """--issuer as the Settings take it: a file, or a bundled profile's name."""
    return Path(issuer) if issuer else None
