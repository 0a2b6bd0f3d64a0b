"""Alembic's entry: runs the migrations online against the URL :func:`migrate` set."""

from __future__ import annotations

from alembic import context

from grantdocs.service.db import Base, engine_for

url = context.config.get_main_option("sqlalchemy.url")
if url is None:  # pragma: no cover - migrate() always sets it
    raise RuntimeError("no sqlalchemy.url: run migrations through grantdocs.service.db.migrate")
engine = engine_for(url)
try:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=url.startswith("sqlite"))
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
