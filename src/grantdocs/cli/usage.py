"""Usage errors in the user's language, with their codes, and still exit code 2.

click words its usage errors in English (its gettext domain has no Norwegian). The
command group turns each one into a :class:`UsageProblem`
(:func:`localised`), read from what click's exception holds (the parameter, the
option's name, the close matches), never from its English text, except for the two
errors that hold nothing else (an unknown command, extra arguments). A type that
refuses a value raises :class:`CodedBadParameter` with the message itself.
"""

from __future__ import annotations

import re
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from grantdocs import messages_cli as C
from grantdocs.catalog import Text
from grantdocs.i18n import part, say, translator
from grantdocs.messages import ERROR


class UsageProblem(click.UsageError):
    """A usage error as a message with a code, shown in the user's language (exit 2)."""

    def __init__(self, text: Text, ctx: click.Context | None = None) -> None:
        super().__init__(str(text), ctx or click.get_current_context(silent=True))
        self.text = text

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        if ctx is not None:
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            click.echo(part(C.USAGE_LINE, command=ctx.command_path, pieces=pieces), err=True)
            click.echo(part(C.TRY_HELP, help=_help(ctx)) + "\n", err=True)
        click.secho(f"{part(ERROR)}: {usage_line(self.text)}", fg="red", err=True)


class CodedBadParameter(click.BadParameter):
    """A value an option or argument refuses, with the message that says why."""

    def __init__(self, text: Text, ctx: click.Context | None = None,
                 param: click.Parameter | None = None, param_hint: str | None = None) -> None:
        super().__init__(str(text), ctx, param, param_hint)
        self.text = text


def usage_line(text: Text) -> str:
    """``text`` in the user's language, with its hint and code, as the error line shows it."""
    line = say(text)
    hint = text.render_hint(translator().gettext)
    if hint:
        line += f" ({hint})"
    return f"{line} [{text.code}]" if text.code else line


def _help(ctx: click.Context) -> str:
    return f"{ctx.command_path} --help"


def _hint(exc: click.BadParameter) -> str:
    if isinstance(exc.param_hint, str):
        return exc.param_hint
    if exc.param_hint is not None:
        return " / ".join(repr(h) for h in exc.param_hint)
    if exc.param is not None:
        return exc.param.get_error_hint(exc.ctx)
    return ""


def _choices(param: click.Parameter | None) -> list[str] | None:
    if param is not None and isinstance(param.type, click.Choice):
        return [repr(str(c)) for c in param.type.choices]
    return None


def _commands(ctx: click.Context | None) -> str:
    command = ctx.command if ctx is not None else None
    if isinstance(command, click.Group) and ctx is not None:
        return ", ".join(command.list_commands(ctx))
    return ""


def _from_msgid(msgid: str, message: str) -> dict[str, str] | None:
    """The values of ``message`` if it is click's ``msgid`` filled in, else None."""
    pattern = re.escape(msgid)
    pattern = re.sub(r"\\\{(\w+)(?:!r)?\\\}", r"(?P<\1>.+)", pattern)
    found = re.fullmatch(pattern, message)
    return found.groupdict() if found else None


def _missing(exc: click.MissingParameter) -> Text:
    ctx = exc.ctx
    name = _hint(exc)
    kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
    help_ = _help(ctx) if ctx is not None else "--help"
    text = (C.MISSING_ARGUMENT if kind == "argument" else C.MISSING_OPTION)(name=name, help=help_)
    choices = _choices(exc.param)
    return C.CHOOSE_FROM(problem=text, choices=", ".join(choices)) if choices else text


def _option_usage(exc: click.BadOptionUsage) -> Text:
    ctx = exc.ctx
    params = ctx.command.params if ctx is not None else []
    option = next((p for p in params if isinstance(p, click.Option)
                   and exc.option_name in (*p.opts, *p.secondary_opts)), None)
    name = repr(exc.option_name)
    if option is not None and option.is_flag:
        return C.OPTION_TAKES_NO_VALUE(name=name)
    if option is not None:
        return C.OPTION_NEEDS_VALUE(name=name)
    return C.USAGE_OTHER(problem=exc.message)


def _plain(exc: click.UsageError) -> Text:
    """A usage error that holds only its English message."""
    ctx = exc.ctx
    command = _from_msgid("No such command {name!r}.", exc.message)
    if command is not None:
        return C.NO_SUCH_COMMAND(name=command["name"], known=_commands(ctx))
    for msgid in ("Got unexpected extra argument ({args})",
                  "Got unexpected extra arguments ({args})"):
        extra = _from_msgid(msgid, exc.message)
        if extra is not None:
            return C.EXTRA_ARGUMENTS(args=extra["args"], count=len(extra["args"].split()))
    return C.USAGE_OTHER(problem=exc.message)


def problem(exc: click.UsageError) -> Text:
    """What ``exc`` says, as a message with a code."""
    if isinstance(exc, UsageProblem):
        return exc.text
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        inner = exc.text if isinstance(exc, CodedBadParameter) else None
        if inner is None:
            return C.INVALID_VALUE_OTHER(param=_hint(exc), problem=exc.message)
        return C.INVALID_VALUE(param=_hint(exc), problem=inner)
    if isinstance(exc, click.NoSuchOption):
        name = repr(exc.option_name)
        if exc.possibilities:
            close = [repr(p) for p in exc.possibilities]
            shown = close[0] if len(close) == 1 else C.OR(first=", ".join(close[:-1]),
                                                          last=close[-1])
            return C.NO_SUCH_OPTION(name=name, close=shown)
        help_ = _help(exc.ctx) if exc.ctx is not None else "--help"
        return C.NO_SUCH_OPTION_NO_MATCH(name=name, help=f"'{help_}'")
    if isinstance(exc, click.BadOptionUsage):
        return _option_usage(exc)
    return _plain(exc)


def localised(exc: click.UsageError) -> click.UsageError:
    """``exc`` as a :class:`UsageProblem`; click's "no arguments: show the help" stays."""
    if isinstance(exc, (UsageProblem, NoArgsIsHelpError)):
        return exc
    return UsageProblem(problem(exc), exc.ctx)


class LocalGroup(click.Group):
    """A command group whose usage errors, and those of its commands, are
    :class:`UsageProblem` s (the user's language, a code, exit code 2)."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise localised(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            name = ctx.invoked_subcommand
            command = self.get_command(ctx, name) if exc.ctx is None and name else None
            if command is not None:  # the parser does not say whose option it was
                exc.ctx = click.Context(command, info_name=name, parent=ctx)
            raise localised(exc) from None

