"""Options shared by the commands, the types of their values, and how errors are reported.

Every error grantdocs raises on purpose is a :class:`grantdocs.errors.GrantdocsError`
whose kind carries its exit code (:class:`grantdocs.errors.ExitCode`: 0 ok, 1 some
records failed, 2 the input or configuration cannot be used, 130 interrupted).
:func:`reported_errors` is the one place where they become a message and a status;
the command group applies it to every command, so no command ends in a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from grantdocs.catalog import Text
from grantdocs.cli.usage import CodedBadParameter
from grantdocs.errors import ExitCode, GrantdocsError, Issue
from grantdocs.messages import NOT_A_FOLDER, NOT_A_REGULAR_FILE
from grantdocs.messages_cli import (
    CANNOT_READ_PATH,
    CANNOT_WRITE_PATH,
    IS_A_FOLDER,
    NO_SUCH_PATH,
    NOT_A_NUMBER,
    NOT_ONE_OF,
    NOT_WHOLE_NUMBER,
    OUT_OF_RANGE,
    RANGE_ABOVE,
    RANGE_AT_LEAST,
    RANGE_AT_MOST,
    RANGE_BETWEEN,
    SCHEME_NOT_KNOWN,
)

F = TypeVar("F", bound=Callable[..., Any])


class PathType(click.Path):
    """click's path, whose refusals are messages in the user's language."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except CodedBadParameter:
            raise
        except click.BadParameter:
            raise CodedBadParameter(self._problem(value), ctx, param) from None

    def _problem(self, value: Any) -> Text:
        path = Path(os.fsdecode(value))
        shown = repr(click.format_filename(path))
        if not path.exists():
            return NO_SUCH_PATH(path=shown)
        if path.is_dir() and not self.dir_okay:
            return IS_A_FOLDER(path=shown)
        if not path.is_dir() and not self.file_okay:
            return NOT_A_FOLDER(path=shown)
        if self.readable and not os.access(path, os.R_OK):
            return CANNOT_READ_PATH(path=shown)
        return CANNOT_WRITE_PATH(path=shown)


class Choice(click.Choice[str]):
    """click's choice, whose refusal is a message in the user's language."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            choices = ", ".join(repr(str(c)) for c in self.choices)
            raise CodedBadParameter(NOT_ONE_OF(value=repr(str(value)), choices=choices),
                                    ctx, param) from None


def _range_problem(kind: click.IntRange | click.FloatRange, value: Any) -> Text:
    whole = isinstance(kind, click.IntRange)
    try:
        number = int(value) if whole else float(value)
    except (TypeError, ValueError):
        return (NOT_WHOLE_NUMBER if whole else NOT_A_NUMBER)(value=repr(str(value)))
    low, high = kind.min, kind.max
    if low is not None and high is not None:
        limits = RANGE_BETWEEN(low=str(low), high=str(high))
    elif low is not None:
        limits = (RANGE_ABOVE if kind.min_open else RANGE_AT_LEAST)(low=str(low))
    else:
        limits = RANGE_AT_MOST(high=str(high))
    return OUT_OF_RANGE(value=str(number), range=limits)


class IntRange(click.IntRange):
    """click's whole number in a range, whose refusals are in the user's language."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise CodedBadParameter(_range_problem(self, value), ctx, param) from None


class FloatRange(click.FloatRange):
    """click's number in a range, whose refusals are in the user's language."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            raise CodedBadParameter(_range_problem(self, value), ctx, param) from None


class InputFile(PathType):
    """An existing regular file to read (or, with ``dir_okay``, a folder of them).

    A folder is refused by click; a pipe or a device is refused here, because
    reading one would wait for a writer that never comes.
    """

    def __init__(self, *, dir_okay: bool = False) -> None:
        super().__init__(exists=True, dir_okay=dir_okay, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        given = Path(os.fsdecode(path))
        if not given.is_file() and not (self.dir_okay and given.is_dir()):
            shown = repr(click.format_filename(path))
            raise CodedBadParameter(NOT_A_REGULAR_FILE(path=shown), ctx, param)
        return path


class SchemeFile(InputFile):
    """A scheme file (TOML), or the name of a bundled scheme (imdi-integreringsarbeid-2022)."""

    name = "file|name"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not os.path.lexists(value):
            from grantdocs.scheme import bundled_scheme, bundled_schemes

            bundled = bundled_scheme(value)
            if bundled is not None:
                return bundled
            known = ", ".join(bundled_schemes())
            raise CodedBadParameter(SCHEME_NOT_KNOWN(value=repr(value), known=known), ctx, param)
        return super().convert(value, param, ctx)


class OutputFolder(PathType):
    """A folder to write into. It may not exist yet, but nothing on its way may be a file."""

    def __init__(self) -> None:
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        target = Path(os.fsdecode(path))
        for folder in (target, *target.parents):
            if folder.exists() and not folder.is_dir():
                shown = repr(click.format_filename(folder))
                raise CodedBadParameter(NOT_A_FOLDER(path=shown), ctx, param)
        return path


class DateType(click.ParamType[dt.date, Any]):
    """A date as caseworkers write it (15.03.2022 or 2022-03-15), read like a spreadsheet cell."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from grantdocs.errors import CoerceError
        from grantdocs.readers import parse_date

        try:
            return parse_date(str(value))
        except CoerceError as exc:
            if exc.text is not None:
                raise CodedBadParameter(exc.text, ctx, param) from None
            self.fail(str(exc), param, ctx)


FILE = InputFile()
FILES_FOLDER = InputFile(dir_okay=True)
FOLDER = OutputFolder()
DATE = DateType()

INPUTS = click.argument("inputs", nargs=-1, required=True, type=FILE)

SCHEME_FILE = SchemeFile()
SCHEME = click.option(
    "--scheme", type=SCHEME_FILE, metavar="FILE|NAME",
    help="Scheme rules (TOML), or a bundled scheme: imdi-integreringsarbeid-2022, "
         "bjornafjorden-integreringsarbeid-2022. Default: IMDi's 2022 scheme.")
OUT = click.option("--out", "out_dir", required=True, type=FOLDER, help="Output folder.")


def _checked_issuer(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The profile is checked as the option is read, so nothing is written with a bad one."""
    if value:
        from grantdocs.issuer import load_issuer

        load_issuer(value)  # ConfigError (exit 2) lists every problem
    return value


ISSUER = click.option(
    "--issuer", metavar="FILE|NAME", callback=_checked_issuer,
    help="Issuer profile (TOML; `grantdocs issuer init` writes one), or a bundled one: imdi, "
         "bjornafjorden. Default: imdi.")


def settings_options(func: F) -> F:
    """--scheme, --issuer and --templates."""
    func = click.option(
        "--templates", type=PathType(exists=True, file_okay=False, path_type=Path),
        help="Folder whose files replace the bundled templates of the same name "
             "(nb/letter-granted.html, letter.css, ...).")(func)
    func = ISSUER(func)
    return SCHEME(func)


def _os_message(exc: OSError) -> str:
    if exc.filename is None:
        return str(exc)
    target = f" -> {exc.filename2}" if exc.filename2 is not None else ""
    return f"{exc.filename}{target}: {exc.strerror or exc}"


@contextmanager
def reported_errors() -> Iterator[None]:
    """One clear message on stderr and the documented exit status, instead of a traceback.

    A :class:`GrantdocsError` exits with its kind's ``exit_code``. An
    ``OSError`` that no reader turned into an InputError is reported the same way
    and exits 2, or 3 for a full disk or a read-only file system. Ctrl-C exits 130,
    SIGTERM during a batch 143.
    """
    try:
        yield
    except GrantdocsError as exc:
        from grantdocs.i18n import error_text, part
        from grantdocs.messages import ERROR

        click.secho(f"{part(ERROR)}: {error_text(exc)}", fg="red", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        from grantdocs.files import FULL_OR_READ_ONLY
        from grantdocs.i18n import part
        from grantdocs.messages import ERROR

        click.secho(f"{part(ERROR)}: {_os_message(exc)}", fg="red", err=True)
        sys.exit(ExitCode.OUTPUT_UNWRITABLE if exc.errno in FULL_OR_READ_ONLY
                 else ExitCode.UNUSABLE)
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM during a batch (Terminated)
        from grantdocs.batch.interrupts import Terminated

        # click's standalone mode would turn this into "Aborted!" and exit 1
        from grantdocs.i18n import coded
        from grantdocs.messages import INTERRUPTED

        click.echo(coded(INTERRUPTED()), err=True)
        sys.exit(ExitCode.TERMINATED if isinstance(stop, Terminated) else ExitCode.INTERRUPTED)


def config_errors(func: F) -> F:
    """:func:`reported_errors` around one command (the group applies it to all of them)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reported_errors():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def report_issues(issues: Iterable[Issue], *, show_warnings: bool = True) -> None:
    """Errors and warnings on stderr, a repeated one once with its rows."""
    from grantdocs.i18n import group_line
    from grantdocs.readers.grouped import group_issues

    for group in group_issues(issues):
        if group.is_error:
            click.secho(group_line(group), fg="red", err=True)
        elif show_warnings:
            click.secho(group_line(group), fg="yellow", err=True)


def issuer_path(issuer: str | None) -> Path | None:
    """--issuer as the Settings take it: a file, or a bundled profile's name."""
    return Path(issuer) if issuer else None


def reading_options(func: F) -> F:
    """--sheet and --columns: how a caseworker's own sheet is read."""
    func = click.option(
        "--columns", "columns", metavar="FILE", type=FILE,
        help='Your own column headers mapped to ours, in TOML: "Beløp vi ga" = '
             '"Innvilget beløp".')(func)
    return click.option(
        "--sheet", metavar="NAME",
        help="The workbook's sheet to read. Default: the first with a header row.")(func)
