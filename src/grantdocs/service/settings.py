"""What one ``grantdocs serve`` (or ``grantdocs worker``) needs to know: where its state lives.

:class:`ServiceSettings` is built once from the command's options and the environment
(:meth:`ServiceSettings.build`) and handed to the app, the queue and the jobs. Everything
the service keeps lives under the data folder unless a URL says otherwise:

* ``<data>/grantdocs.db``: the database (SQLite in WAL mode) unless ``--database-url``;
* ``<data>/queue.db``: the job queue (Huey on SQLite) unless ``--queue-url``;
* ``<data>/batches/<id>/``: each batch's upload, its chunks and its ``files.zip``;
* ``<data>/secret.key``: the service's secret (:mod:`grantdocs.keys`), made 0600 on first
  start, unless ``GRANTDOCS_SECRET_KEY`` is set; the server and its workers sign the
  accounts workbooks and verify returned ones with it (:meth:`ServiceSettings.adopt_key`).

The service's own limits are environment variables like the input limits
(:mod:`grantdocs.limits`): ``GRANTDOCS_MAX_BODY_MB`` (25), ``GRANTDOCS_QUEUE_BOUND`` (20
batches waiting), ``GRANTDOCS_RENDER_WORKERS`` (processes for synchronous documents, 1),
``GRANTDOCS_WARM_UP`` (1: build the renderers as the processes start; 0: at first use).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from grantdocs.errors import ConfigError

if TYPE_CHECKING:
    from grantdocs.keys import Keyring

DEFAULT_DATA = Path("grantdocs-data")
MB = 1024 * 1024


def _number(env: Mapping[str, str], name: str, default: float, *, whole: bool) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = 0
    if not value > 0:
        kind = "whole number" if whole else "number"
        raise ConfigError(f"{name}={text!r}: expected a positive {kind}")
    return value


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    text = env.get(name, "").strip()
    if not text:
        return default
    if text not in ("0", "1"):
        raise ConfigError(f"{name}={text!r}: expected 1 (on) or 0 (off)")
    return text == "1"


@dataclass(frozen=True)
class ServiceSettings:
    """The service's configuration; plain values, so worker processes can receive it."""

    data_dir: Path
    database_url: str
    queue_url: str | None = None
    max_body_mb: float = 25.0
    """The largest request body, in MB: 413 before more is read."""
    queue_bound: int = 20
    """Batches that may wait (queued or running) before a new one is answered with 429."""
    render_workers: int = 1
    """Processes that render synchronous documents (``POST /api/v1/letters``)."""
    retry_after: int = 30
    """Seconds a client is told to wait (``Retry-After``) when the queue is full."""
    warm_up: bool = True
    """Build the renderers before the first document (``GRANTDOCS_WARM_UP``, 1): each render
    worker its letter renderer and PDF writer as the server starts, ``grantdocs worker`` the
    engine's imports before it forks its workers. At 0 each is built at its first use: for a
    server that renders little or nothing, which then starts with about 1 CPU-second less
    per process (the tests' servers for limits, priorities and kills)."""
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, data_dir: Path | str | None = None, database_url: str | None = None,
              queue_url: str | None = None, *, environ: Mapping[str, str] | None = None,
              **overrides: object) -> ServiceSettings:
        """Settings from the command's options, the defaults and ``GRANTDOCS_*`` variables."""
        env = dict(os.environ if environ is None else environ)
        data = Path(data_dir) if data_dir is not None else DEFAULT_DATA
        data = data.expanduser().absolute()
        url = database_url or env.get("GRANTDOCS_DATABASE_URL") or sqlite_url(
            data / "grantdocs.db")
        queue = queue_url or env.get("GRANTDOCS_QUEUE_URL") or None
        settings = cls(
            data_dir=data, database_url=url, queue_url=queue,
            max_body_mb=_number(env, "GRANTDOCS_MAX_BODY_MB", 25.0, whole=False),
            queue_bound=int(_number(env, "GRANTDOCS_QUEUE_BOUND", 20, whole=True)),
            render_workers=int(_number(env, "GRANTDOCS_RENDER_WORKERS", 1, whole=True)),
            warm_up=_switch(env, "GRANTDOCS_WARM_UP", True),
            environ=env,
        )
        return replace(settings, **overrides) if overrides else settings  # type: ignore[arg-type]

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * MB)

    @property
    def batches_dir(self) -> Path:
        return self.data_dir / "batches"

    def prepare(self) -> None:
        """Make the data folder (mode 0700) and its secret key if they are not there."""
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.batches_dir.mkdir(exist_ok=True)
        self.keyring()

    def keyring(self) -> Keyring:
        """``GRANTDOCS_SECRET_KEY``, else ``<data>/secret.key`` (made 0600 on first use)."""
        from grantdocs.keys import load_keyring

        return load_keyring(self.data_dir / "secret.key", self.environ)

    def adopt_key(self) -> None:
        """Sign and verify with :meth:`keyring` in this process and the workers it starts.

        The library finds its key in the environment (:func:`grantdocs.keys.load_keyring`):
        this points it at the service's key, so an accounts workbook the service signs
        is one its checklist and repayment-claim routes verify, whichever folder or
        user ``grantdocs serve`` and ``grantdocs worker`` run from.
        """
        from grantdocs.keys import ENV_KEY, ENV_KEY_FILE

        key = self.environ.get(ENV_KEY, "").strip()
        if key:
            os.environ[ENV_KEY] = key
        else:
            os.environ.pop(ENV_KEY, None)
            os.environ[ENV_KEY_FILE] = str(self.data_dir / "secret.key")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
