"""``grantdocs token create|list|revoke``: the bearer tokens other systems call the API with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from grantdocs import messages_commands as C
from grantdocs.cli.options import PathType
from grantdocs.cli.usage import LocalGroup
from grantdocs.i18n import coded, say

if TYPE_CHECKING:
    from grantdocs.service.settings import ServiceSettings

F = TypeVar("F", bound=Callable[..., Any])


def service_options(func: F) -> F:
    """--data and --database-url, shared by the service's commands."""
    func = click.option(
        "--database-url", metavar="URL",
        help="SQLAlchemy URL of the database (postgresql+psycopg://user@host/db). "
             "Default: SQLite in the data folder (or GRANTDOCS_DATABASE_URL).")(func)
    return click.option(
        "--data", "data_dir", type=PathType(file_okay=False, path_type=Path),
        default=Path("grantdocs-data"), show_default=True,
        help="The service's folder: database, queue, batches, secret key.")(func)


def service_settings(data_dir: Path, database_url: str | None,
                     queue_url: str | None = None) -> ServiceSettings:
    from grantdocs.service.settings import ServiceSettings

    settings = ServiceSettings.build(data_dir, database_url, queue_url)
    settings.prepare()
    return settings


def _sessions(data_dir: Path, database_url: str | None) -> Any:
    from grantdocs.service.db import open_database

    _, sessions = open_database(service_settings(data_dir, database_url).database_url)
    return sessions


@click.group(cls=LocalGroup)
def token() -> None:
    """Bearer tokens for the HTTP API (`grantdocs serve`): stored hashed, shown once."""


@token.command("create")
@service_options
@click.option("--name", required=True, help="What the token is for (unique): 'sak-system'.")
def create(data_dir: Path, database_url: str | None, name: str) -> None:
    """Make a new token; it is printed once, as the last line, and never stored in clear."""
    from grantdocs.service.tokens import create_token

    info, secret = create_token(_sessions(data_dir, database_url), name)
    click.echo(coded(C.TOKEN_CREATED(name=repr(info.name), id=info.id)), err=True)
    click.echo(secret)


@token.command("list")
@service_options
@click.option("--json", "as_json", is_flag=True, help="As JSON on stdout.")
def list_command(data_dir: Path, database_url: str | None, as_json: bool) -> None:
    """The tokens: id, name, when made, and when revoked."""
    from grantdocs.service.tokens import list_tokens

    rows = list_tokens(_sessions(data_dir, database_url))
    if as_json:
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "created_at": r.created_at.isoformat(),
             "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None}
            for r in rows], ensure_ascii=False, indent=2))
        return
    if rows:
        click.echo(say(C.TOKEN_HEADER()))
    for r in rows:
        state = say(C.TOKEN_REVOKED_AT(when=f"{r.revoked_at:%Y-%m-%d %H:%M}") if r.revoked_at
                    else C.TOKEN_ACTIVE())
        click.echo(f"{r.id}\t{r.name}\t{r.created_at:%Y-%m-%d %H:%M}\t{state}")


@token.command("revoke")
@service_options
@click.option("--name", required=True, help="The token's name (see `grantdocs token list`).")
def revoke(data_dir: Path, database_url: str | None, name: str) -> None:
    """Revoke a token: requests with it get 401 from now on."""
    from grantdocs.service.tokens import revoke_token

    info = revoke_token(_sessions(data_dir, database_url), name)
    click.echo(coded(C.TOKEN_REVOKED(name=repr(info.name))))
