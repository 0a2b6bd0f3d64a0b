"""The installation's secret key, and HMAC-SHA256 signatures made and checked with it.

What grantdocs sends out and later reads back (the accounts workbook's hidden
identifiers) is signed, so that a file made elsewhere, or altered, is refused.
The key is, in this order:

1. ``GRANTDOCS_SECRET_KEY``: the key itself, as text of at least 32 characters;
2. else the key file given to :func:`load_keyring` (the HTTP service keeps its
   key at ``<data>/secret.key``), else ``GRANTDOCS_KEY_FILE``, else
   ``$XDG_CONFIG_HOME/grantdocs/secret.key`` (``~/.config/grantdocs/secret.key``).
   A missing key file is made on first use: 32 random bytes (hex), created new
   with mode 0600, never through a symlink; one that group or others may read or
   write is refused.

``GRANTDOCS_PREVIOUS_KEYS`` (comma-separated) are keys that signatures are still
checked against, never made with: after a rotation, put the old key there.
Every problem with a key is a :class:`~grantdocs.errors.ConfigError` (exit 2).

>>> ring = Keyring.from_text("an example key of at least thirty-two characters")
>>> ring.verify(b"data", ring.sign(b"data")), ring.verify(b"data!", ring.sign(b"data"))
(True, False)
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from grantdocs import messages_cli as C
from grantdocs.errors import ConfigError

ENV_KEY = "GRANTDOCS_SECRET_KEY"
ENV_PREVIOUS = "GRANTDOCS_PREVIOUS_KEYS"
ENV_KEY_FILE = "GRANTDOCS_KEY_FILE"
MIN_KEY_CHARS = 32
# The key samples/returns/ is signed with. It is public (samples/README.md says so):
# never use it for real workbooks.
SAMPLE_KEY = "grantdocs-sample-key-PUBLIC-not-a-secret-0001"
_MAX_KEY_FILE = 4096


@dataclass(frozen=True)
class Keyring:
    """The current key (signs and verifies) and previous keys (verify only)."""

    current: bytes = field(repr=False)
    previous: tuple[bytes, ...] = field(default=(), repr=False)
    source: str = ""  # where the current key came from, for messages (never the key)

    @classmethod
    def from_text(cls, current: str, previous: tuple[str, ...] = (),
                  source: str = "") -> Keyring:
        return cls(_key(current, source or "the key"),
                   tuple(_key(p, ENV_PREVIOUS) for p in previous), source)

    def sign(self, data: bytes) -> str:
        """The HMAC-SHA256 of ``data`` under the current key, as 64 hex digits."""
        return hmac.new(self.current, data, hashlib.sha256).hexdigest()

    def verify(self, data: bytes, signature: str) -> bool:
        """Whether ``signature`` is ``data``'s under the current or a previous key.

        Compared in constant time, and every key is tried, so the time says nothing
        about which key (if any) matched.
        """
        given = signature.encode("utf-8", "replace")
        matched = False
        for key in (self.current, *self.previous):
            mac = hmac.new(key, data, hashlib.sha256).hexdigest().encode("ascii")
            matched |= hmac.compare_digest(mac, given)
        return matched

    @property
    def key_id(self) -> str:
        """A fingerprint of the current key that reveals nothing of it (for digests, logs)."""
        return self.sign(b"grantdocs key id")[:16]


def _key(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_KEY_CHARS:
        raise ConfigError(C.KEY_TOO_SHORT(where=where, minimum=MIN_KEY_CHARS, count=len(text)))
    return text.encode("utf-8")


def default_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """``$GRANTDOCS_KEY_FILE``, else ``$XDG_CONFIG_HOME/grantdocs/secret.key``."""
    env = os.environ if environ is None else environ
    if env.get(ENV_KEY_FILE, "").strip():
        return Path(env[ENV_KEY_FILE].strip()).expanduser()
    config = env.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "grantdocs" / "secret.key"


def load_keyring(key_file: Path | None = None,
                 environ: Mapping[str, str] | None = None) -> Keyring:
    """The installation's keyring: see the module doc for where the key comes from."""
    env = os.environ if environ is None else environ
    previous = tuple(p for p in env.get(ENV_PREVIOUS, "").split(",") if p.strip())
    if env.get(ENV_KEY, "").strip():
        return Keyring.from_text(env[ENV_KEY], previous, ENV_KEY)
    path = key_file if key_file is not None else default_key_file(env)
    try:
        text = _read_key_file(path)
    except FileNotFoundError:
        _create_key_file(path)
        try:
            text = _read_key_file(path)
        except FileNotFoundError:  # a dangling symlink: never followed to write a key
            raise ConfigError(C.KEY_DANGLING(path=str(path))) from None
    return Keyring.from_text(text, previous, str(path))


def _read_key_file(path: Path) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfigError(C.KEY_CANNOT_READ(path=str(path), reason=str(exc.strerror),
                                            file_variable=ENV_KEY_FILE, variable=ENV_KEY)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ConfigError(C.KEY_NOT_REGULAR(path=str(path)))
    with os.fdopen(fd, "rb") as fh:
        if info.st_mode & 0o066:
            raise ConfigError(C.KEY_OPEN_TO_OTHERS(path=str(path),
                                                   mode=f"{stat.S_IMODE(info.st_mode):04o}"))
        data = fh.read(_MAX_KEY_FILE + 1)
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        text = ""
    if len(data) > _MAX_KEY_FILE or len(text) < MIN_KEY_CHARS:
        raise ConfigError(C.KEY_EMPTY(path=str(path), minimum=MIN_KEY_CHARS))
    return text


def _create_key_file(path: Path) -> None:
    """Write a new key to ``path``, whole or not at all, never over an existing file.

    The key goes to a new temporary file (O_EXCL, O_NOFOLLOW, 0600) that is then
    hard-linked to ``path``: the link fails if anything, a symlink included, is
    already there, so two processes starting at once end up with the same key.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write_new(tmp, (secrets.token_bytes(32).hex() + "\n").encode("ascii"))
        try:
            try:
                os.link(tmp, path, follow_symlinks=False)
            except FileExistsError:
                pass  # another process made it first: its key is the one
            except OSError as exc:  # a file system without hard links: create it in place
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP):
                    raise
                _write_new(path, tmp.read_bytes())
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise ConfigError(C.KEY_CANNOT_CREATE(path=str(path), reason=str(exc.strerror),
                                              file_variable=ENV_KEY_FILE,
                                              variable=ENV_KEY)) from None


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist, not even as a symlink), mode 0600, and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
