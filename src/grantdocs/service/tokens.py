"""Bearer tokens: made once and shown once, kept only as their SHA-256, revoked by name.

A token is ``gd_`` and 43 URL-safe characters (256 random bits). The database holds
its SHA-256 in hex, so a copy of the database gives no working token; a request's token
is hashed and looked up (:func:`token_id_for`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from grantdocs.errors import ConfigError
from grantdocs.messages_cli import TOKEN_EXISTS, TOKEN_NAME_LENGTH, TOKEN_UNKNOWN
from grantdocs.service.db import Token, utcnow

PREFIX = "gd_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _info(row: Token) -> TokenInfo:
    return TokenInfo(row.id, row.name, row.created_at, row.revoked_at)


def create_token(sessions: sessionmaker[Session], name: str) -> tuple[TokenInfo, str]:
    """A new token named ``name``; returns it with the secret, which is not kept."""
    name = name.strip()
    if not name or len(name) > 200:
        raise ConfigError(TOKEN_NAME_LENGTH())
    secret = PREFIX + secrets.token_urlsafe(32)
    with sessions() as session:
        row = Token(name=name, hash=token_hash(secret), created_at=utcnow())
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            raise ConfigError(TOKEN_EXISTS(name=repr(name))) from None
        return _info(row), secret


def list_tokens(sessions: sessionmaker[Session]) -> list[TokenInfo]:
    with sessions() as session:
        return [_info(row) for row in session.scalars(select(Token).order_by(Token.id))]


def revoke_token(sessions: sessionmaker[Session], name: str) -> TokenInfo:
    """Revoke the token named ``name`` (it stops working at once); revoking twice is fine."""
    with sessions() as session:
        row = session.scalars(select(Token).where(Token.name == name)).first()
        if row is None:
            raise ConfigError(TOKEN_UNKNOWN(name=repr(name)))
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            session.commit()
        return _info(row)


def token_id_for(session: Session, secret: str) -> int | None:
    """The id of the active token whose secret this is, else None."""
    row: Any = session.execute(
        select(Token.id).where(Token.hash == token_hash(secret), Token.revoked_at.is_(None))
    ).first()
    return None if row is None else int(row[0])
