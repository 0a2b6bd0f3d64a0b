"""The service's state in a real database: tokens, batches and their chunks (SQLAlchemy 2).

SQLite (in WAL mode, so readers never wait for the writer) is the default, in the data
folder; PostgreSQL (``postgresql+psycopg://...``) by URL. The schema is made and kept
up to date by Alembic (:func:`migrate`, ``upgrade head``, run by every process that
opens the database), never by ``create_all``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")

BATCH_KINDS = ("letters", "report-templates", "accounts-workbooks", "checklists",
               "repayment-claims", "stats")
BATCH_STATUSES = ("queued", "running", "done", "failed")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Token(Base):
    """A bearer token; only its SHA-256 (hex) is kept."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)


class Batch(Base):
    """One uploaded batch: what to make, how far it got, and what went wrong."""

    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("token_id", "idempotency_key",
                                       name="uq_batches_token_idempotency"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    formats: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    scheme: Mapped[str | None] = mapped_column(String(200), nullable=True)
    upload_name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    written: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)


class Chunk(Base):
    """A slice of a batch's records (positions ``first``..``last``) that one job renders."""

    __tablename__ = "chunks"

    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_for(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a 10 s busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(engine, expire_on_commit=False)


def schema_head() -> str:
    """The newest migration's revision: each file under ``migrations/versions/`` is named
    after its revision (``0004_upload_removed.py`` is ``0004``)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))


def at_head(url: str) -> bool:
    """Whether the database at ``url`` has the newest schema already (Alembic's version table
    says so); False if it cannot tell (no such table yet, or the database cannot be read)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            return [row[0] for row in versions] == [schema_head()]
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def migrate(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (Alembic ``upgrade head``).

    A database at the newest schema already (as at every start but the first) is left as
    it is without loading Alembic: importing it (its dialects, Mako) and running ``upgrade``
    cost each ``grantdocs serve`` and ``grantdocs worker`` about 0.2 CPU-seconds as it starts.
    """
    if at_head(url):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def open_database(url: str) -> tuple[Engine, sessionmaker[Any]]:
    """Migrate the database at ``url`` to the newest schema, then an engine and sessions on it."""
    migrate(url)
    engine = engine_for(url)
    return engine, session_factory(engine)


class GranteeLink(Base):
    """A grantee's own link to one grant of a batch (``/g/<id>.<signature>``).

    ``id`` is 128 random bits (URL-safe base64, no padding); the URL carries it with its
    signature under the service's key (:mod:`grantdocs.service.web.links`). ``case_json``
    is the grant's case as the batch read it, so the grantee's page and its documents do
    not depend on the batch's folder being kept.
    """

    __tablename__ = "grantee_links"
    __table_args__ = (UniqueConstraint("batch_id", "reference",
                                       name="uq_grantee_links_batch_reference"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(2))
    organisation: Mapped[str] = mapped_column(String(500))
    case_json: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GranteeUpload(Base):
    """A file a grantee sent through their link: the returned accounts or the annual report.

    A new upload of the same kind sets the previous one's ``replaced_by``: the newest is
    the one without it, the others are its history. ``stored`` is the file's path under
    ``<data>/grantee/<link_id>/``, named by the service; ``filename`` is the name the
    client sent, for display only.
    """

    __tablename__ = "grantee_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    link_id: Mapped[str] = mapped_column(ForeignKey("grantee_links.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    stored: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("grantee_uploads.id"),
                                                    nullable=True)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)
    """When the stored file was deleted to keep the link within its quota (the row stays)."""


class EndedSession(Base):
    """A caseworker's session ended by signing out: its cookie's nonce, refused from then
    on, until ``expires_at`` (when the cookie would have expired anyway)."""

    __tablename__ = "ended_sessions"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens.id"))
    ended_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
