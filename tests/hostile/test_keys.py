"""#4: the installation's secret key (grantdocs.keys): where it comes from, how it is kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from grantdocs.errors import ConfigError
from grantdocs.keys import (
    ENV_KEY,
    ENV_KEY_FILE,
    ENV_PREVIOUS,
    SAMPLE_KEY,
    Keyring,
    default_key_file,
    load_keyring,
)

OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40


def test_key_file_is_made_on_first_use_owner_only(tmp_path: Path) -> None:
    """No key yet: 32 random bytes (64 hex digits) are written, mode 0600 whatever the umask,
    in a folder only the owner may enter; the next load reads the same key."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    old_umask = os.umask(0o022)
    try:
        ring = load_keyring(environ=env)
    finally:
        os.umask(old_umask)
    path = tmp_path / "config" / "grantdocs" / "secret.key"
    assert default_key_file(env) == path and ring.source == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text("ascii").strip()
    assert len(text) == 64 and int(text, 16) >= 0 and ring.current == text.encode()
    assert load_keyring(environ=env).current == ring.current
    assert [p.name for p in path.parent.iterdir()] == ["secret.key"]  # no temporary left
    other = load_keyring(environ={"XDG_CONFIG_HOME": str(tmp_path / "elsewhere")})
    assert other.current != ring.current  # random, not derived


def test_env_key_wins_over_the_key_file(tmp_path: Path) -> None:
    """GRANTDOCS_SECRET_KEY is the key and no file is made; else the file given, else
    GRANTDOCS_KEY_FILE."""
    given = tmp_path / "service" / "secret.key"
    env = {ENV_KEY: NEW, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    ring = load_keyring(given, environ=env)
    assert ring.current == NEW.encode() and ring.source == ENV_KEY
    assert not given.exists() and not (tmp_path / "config").exists()
    from_file = load_keyring(given, environ={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert given.is_file() and from_file.source == str(given)
    assert not (tmp_path / "config").exists()
    chosen = tmp_path / "chosen.key"
    by_env = load_keyring(environ={ENV_KEY_FILE: str(chosen)})
    assert chosen.is_file() and by_env.current == chosen.read_text().strip().encode()
    assert by_env.sign(b"x") != ring.sign(b"x")


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    load_keyring(path, environ={})
    for mode in (0o640, 0o604, 0o620):
        path.chmod(mode)
        with pytest.raises(ConfigError, match=f"mode {mode:04o}.*chmod 600"):
            load_keyring(path, environ={})
    path.chmod(0o400)
    assert load_keyring(path, environ={}).current


def test_key_file_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    """A dangling symlink where the key file goes is not followed to create a key."""
    victim = tmp_path / "victim"
    link = tmp_path / "secret.key"
    link.symlink_to(victim)
    with pytest.raises(ConfigError, match="symlink"):
        load_keyring(link, environ={})
    assert not victim.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]


def test_short_or_damaged_keys_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=f"{ENV_KEY}.*at least 32"):
        load_keyring(environ={ENV_KEY: "short"})
    with pytest.raises(ConfigError, match=f"{ENV_PREVIOUS}.*at least 32"):
        load_keyring(environ={ENV_KEY: NEW, ENV_PREVIOUS: f"{OLD},tiny"})
    empty = tmp_path / "empty.key"
    fd = os.open(empty, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    with pytest.raises(ConfigError, match="does not hold a key"):
        load_keyring(empty, environ={})
    with pytest.raises(ConfigError, match="not a regular file"):
        load_keyring(tmp_path, environ={})
    assert ConfigError("x").exit_code == 2


def test_rotation_previous_keys_verify_but_never_sign() -> None:
    data = b"grantdocs-accounts\n[...]"
    old_signature = Keyring.from_text(OLD).sign(data)
    rotated = load_keyring(environ={ENV_KEY: NEW, ENV_PREVIOUS: f" {OLD} , "})
    assert rotated.verify(data, old_signature)
    assert rotated.sign(data) == Keyring.from_text(NEW).sign(data) != old_signature
    assert not load_keyring(environ={ENV_KEY: NEW}).verify(data, old_signature)
    assert not rotated.verify(data + b" ", old_signature)
    assert not rotated.verify(data, old_signature.upper())
    assert not rotated.verify(data, "ø" * 64)  # not ASCII: refused, no TypeError
    assert not rotated.verify(data, "")


def test_keys_stay_out_of_reprs_and_ids() -> None:
    ring = Keyring.from_text(SAMPLE_KEY, (OLD,))
    assert SAMPLE_KEY not in repr(ring) and OLD not in repr(ring)
    assert len(ring.key_id) == 16 and ring.key_id not in SAMPLE_KEY.encode().hex()
    assert len(ring.sign(b"x")) == 64
