"""`grantdocs token create|list|revoke`: the token is shown once, stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from grantdocs.errors import ConfigError
from grantdocs.service.db import MIGRATIONS, at_head, engine_for, migrate, schema_head
from grantdocs.service.settings import ServiceSettings
from tests.helpers import cli


def test_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRANTDOCS_SECRET_KEY")  # tests/conftest.py sets the sample key
    data = tmp_path / "data"
    made = cli("token", "create", "--data", data, "--name", "sak-system")
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("gd_") and len(secret) == 46

    with sqlite3.connect(data / "grantdocs.db") as db:
        rows = db.execute("SELECT name, hash, revoked_at FROM tokens").fetchall()
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert rows == [("sak-system", hashlib.sha256(secret.encode()).hexdigest(), None)]
    assert secret not in (data / "grantdocs.db").read_bytes().decode("latin-1")
    assert mode == "wal"

    again = cli("token", "create", "--data", data, "--name", "sak-system")
    assert again.exit_code == 2 and "exists already" in again.stderr

    listed = json.loads(cli("token", "list", "--data", data, "--json").stdout)
    assert [(t["name"], t["revoked_at"]) for t in listed] == [("sak-system", None)]

    revoked = cli("token", "revoke", "--data", data, "--name", "sak-system")
    assert revoked.exit_code == 0, revoked.output
    listed = json.loads(cli("token", "list", "--data", data, "--json").stdout)
    assert listed[0]["revoked_at"] is not None
    assert "revoked" in cli("token", "list", "--data", data).stdout

    unknown = cli("token", "revoke", "--data", data, "--name", "nobody")
    assert unknown.exit_code == 2 and "no token named 'nobody'" in unknown.stderr


def test_migration_makes_the_three_tables_once(tmp_path: Path) -> None:
    settings = ServiceSettings.build(tmp_path / "d", environ={})
    settings.prepare()
    migrate(settings.database_url)
    migrate(settings.database_url)  # a second start changes nothing
    inspector = inspect(engine_for(settings.database_url))
    assert set(inspector.get_table_names()) == {"alembic_version", "tokens", "batches", "chunks",
                                                 "grantee_links", "grantee_uploads",
                                                 "ended_sessions"}
    uniques = inspector.get_unique_constraints("batches")
    assert {"token_id", "idempotency_key"} in [set(u["column_names"]) for u in uniques]
    assert inspector.get_pk_constraint("chunks")["constrained_columns"] == ["batch_id", "number"]


def test_a_database_behind_the_newest_schema_is_migrated_and_one_at_it_left_alone(
        tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert schema_head() == ScriptDirectory.from_config(config).get_current_head()
    url = f"sqlite:///{tmp_path / 'grantdocs.db'}"
    assert not at_head(url)  # no schema at all
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0003")  # as a server of an older version left it
    assert not at_head(url)
    migrate(url)
    assert at_head(url)
    columns = {c["name"] for c in inspect(engine_for(url)).get_columns("grantee_uploads")}
    assert "removed_at" in columns  # 0004's column
    assert not at_head(f"sqlite:///{tmp_path / 'no-such-folder' / 'grantdocs.db'}")


def test_settings_from_environment(tmp_path: Path) -> None:
    settings = ServiceSettings.build(tmp_path, environ={
        "GRANTDOCS_MAX_BODY_MB": "2", "GRANTDOCS_QUEUE_BOUND": "3",
        "GRANTDOCS_SECRET_KEY": "k" * 40})
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.queue_bound == 3
    assert settings.database_url == f"sqlite:///{tmp_path}/grantdocs.db"
    assert settings.keyring().current == b"k" * 40
    keyless = ServiceSettings.build(tmp_path / "keyless", environ={})
    keyless.prepare()  # no GRANTDOCS_SECRET_KEY: the key file is made, for its owner only
    assert (tmp_path / "keyless" / "secret.key").stat().st_mode & 0o777 == 0o600
    assert keyless.keyring().current == ServiceSettings.build(
        tmp_path / "keyless", environ={}).keyring().current
    with pytest.raises(ConfigError, match="GRANTDOCS_QUEUE_BOUND='many'"):
        ServiceSettings.build(tmp_path, environ={"GRANTDOCS_QUEUE_BOUND": "many"})
    assert keyless.warm_up and settings.warm_up  # the renderers are built as processes start
    assert not ServiceSettings.build(tmp_path, environ={"GRANTDOCS_WARM_UP": "0"}).warm_up
    with pytest.raises(ConfigError, match="GRANTDOCS_WARM_UP='yes'"):
        ServiceSettings.build(tmp_path, environ={"GRANTDOCS_WARM_UP": "yes"})
