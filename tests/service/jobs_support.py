"""What the job tests share: batches made as the API makes them, real worker processes,
a throw-away PostgreSQL cluster and Redis server, and reading ``files.zip`` back."""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from grantdocs.service.context import batch_folder
from grantdocs.service.db import Batch, Chunk, Token, engine_for, migrate, session_factory
from grantdocs.service.settings import ServiceSettings
from tests.helpers import SAMPLES

#: Fast job timings for tests: small chunks, short leases, frequent sweeps.
FAST = {"GRANTDOCS_CHUNK_SIZE": "2", "GRANTDOCS_LEASE_SECONDS": "2",
        "GRANTDOCS_REQUEUE_SECONDS": "10", "GRANTDOCS_SWEEP_SECONDS": "0.5"}


@functools.cache
def _sessions(url: str) -> sessionmaker[Any]:
    """One engine (and its connection pool) per database for the whole test process: the
    tests poll the database many times a second, and a new engine per poll cost 3 ms of CPU
    (ten times a query on a pooled connection), and left its connections open."""
    return session_factory(engine_for(url))


def upload(tmp: Path, rows: int, *, with_errors: bool = True) -> Path:
    """The first ``rows`` records of a sample sheet, as a caseworker's CSV."""
    source = SAMPLES / ("decisions-with-errors.csv" if with_errors else "decisions.csv")
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp / "vedtak.csv"
    path.write_text("".join(lines[:rows + 1]), encoding="utf-8")
    return path


def upload_records(tmp: Path, records: Sequence[int]) -> Path:
    """The sample sheet with errors' records at these positions (1 is its first record,
    sheet row 2), in this order, as a caseworker's CSV: its rows are numbered anew."""
    lines = (SAMPLES / "decisions-with-errors.csv").read_text(encoding="utf-8-sig").splitlines(
        keepends=True)
    path = tmp / "vedtak.csv"
    path.write_text("".join([lines[0], *(lines[i] for i in records)]), encoding="utf-8")
    return path


def settings_for(data: Path, database_url: str | None = None,
                 queue_url: str | None = None) -> ServiceSettings:
    settings = ServiceSettings.build(data, database_url, queue_url, environ={})
    settings.prepare()
    migrate(settings.database_url)
    return settings


def make_batch(settings: ServiceSettings, file: Path, *, kind: str = "letters",
               formats: str = "pdf", issuer: str | None = None) -> str:
    """A batch row (status queued) and its upload under input/, as the API leaves them."""
    batch_id = uuid.uuid4().hex
    folder = batch_folder(settings.data_dir, batch_id)
    (folder / "input").mkdir(parents=True)
    shutil.copyfile(file, folder / "input" / file.name)
    sessions = _sessions(settings.database_url)
    with sessions.begin() as session:
        token = session.query(Token).filter_by(name="jobs-test").one_or_none()
        if token is None:
            token = Token(name="jobs-test", hash=hashlib.sha256(b"jobs-test").hexdigest())
            session.add(token)
            session.flush()
        session.add(Batch(id=batch_id, kind=kind, formats=formats, issuer=issuer, scheme=None,
                          upload_name=file.name, status="queued", total=0, written=0,
                          failed=0, issues=[], token_id=token.id))
    return batch_id


def batch_row(settings: ServiceSettings, batch_id: str) -> Batch:
    sessions = _sessions(settings.database_url)
    with sessions() as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        return batch


def chunk_rows(settings: ServiceSettings, batch_id: str) -> list[Chunk]:
    sessions = _sessions(settings.database_url)
    with sessions() as session:
        return list(session.query(Chunk).filter_by(batch_id=batch_id).order_by(Chunk.number))


def wait_for(what: str, check: Callable[[], Any], timeout: float,
             procs: tuple[subprocess.Popen[bytes], ...] = ()) -> Any:
    """Poll ``check`` every 50 ms until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        for proc in procs:
            assert proc.poll() is None, f"a worker ended with {proc.returncode} while {what}"
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def start_worker(settings: ServiceSettings, name: str, log: Path, *, workers: int = 1,
                 env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``grantdocs worker`` as a real process, its output in ``log``; at the test's own
    priority (``--priority normal``), as a worker on a machine of its own runs."""
    args = [sys.executable, "-m", "grantdocs", "worker", "--data", str(settings.data_dir),
            "--database-url", settings.database_url, "--workers", str(workers), "--name", name,
            "--priority", "normal"]
    if settings.queue_url:
        args += ["--queue-url", settings.queue_url]
    with log.open("ab") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **FAST, **(env or {})})


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@dataclass
class Zipped:
    """``files.zip`` read back: its member names and the manifest it holds."""

    names: list[str]
    manifest: list[dict[str, Any]]
    csv_rows: list[dict[str, str]]
    zf: zipfile.ZipFile


def read_zip(path: Path) -> Zipped:
    zf = zipfile.ZipFile(path)
    assert zf.testzip() is None
    names = zf.namelist()
    manifest = json.loads(zf.read("manifest.json"))["outputs"]
    csv_rows = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8"))))
    for row in manifest:
        if row["path"]:
            data = zf.read(row["path"])
            assert len(data) == row["bytes"]
            assert hashlib.sha256(data).hexdigest() == row["sha256"]
    return Zipped(names, manifest, csv_rows, zf)


def assert_each_once(zipped: Zipped, outputs: int) -> None:
    """Every output in the zip once, listed once in the manifest, nothing partial."""
    names = zipped.names
    assert len(names) == len(set(names))
    listed = [r["path"] for r in zipped.manifest if r["path"]]
    assert len(listed) == len(set(listed)) == outputs
    assert sorted([*listed, "manifest.csv", "manifest.json"]) == sorted(names)
    assert not [n for n in names if n.endswith(".part") or n.startswith(".")]
    references = [(r["reference"], r["format"]) for r in zipped.manifest if r["path"]]
    assert len(references) == len(set(references))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert found, "PostgreSQL is not installed (./run.sh test installs Debian's postgresql)"
    return found[-1].parent


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on 127.0.0.1 and a free port; its SQLAlchemy URL.

    PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user
    (made by Debian's package) in a temporary folder given to that user.
    """
    bin_dir = _postgres_bin()
    base = Path(tempfile.mkdtemp(prefix="grantdocs-pg-"))
    user: dict[str, Any] = {}
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(base, pg.pw_uid, pg.pw_gid)
        user = {"user": pg.pw_uid, "group": pg.pw_gid, "extra_groups": []}
    data = base / "data"
    port = free_port()
    proc = None
    try:
        subprocess.run([bin_dir / "initdb", "-D", data, "-U", "grantdocs", "--auth=trust",
                        "-E", "UTF8", "--no-sync", "--no-instructions"], check=True,
                       capture_output=True, timeout=60, cwd=base, **user)
        proc = subprocess.Popen(
            [bin_dir / "postgres", "-D", data, "-p", str(port), "-k", base,
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stdout=subprocess.DEVNULL, stderr=(base / "log").open("wb"), cwd=base, **user)
        url = f"postgresql+psycopg://grantdocs@127.0.0.1:{port}/postgres"

        def ready() -> bool:
            import psycopg

            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=grantdocs dbname=postgres",
                                connect_timeout=1).close()
            except psycopg.OperationalError:
                return False
            return True

        wait_for("PostgreSQL to start", ready, 30)
        yield url
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away Redis on 127.0.0.1 and a free port, keeping nothing on disk; its URL."""
    redis_bin = shutil.which("redis-server")
    assert redis_bin, "redis-server is not installed (./run.sh test installs Debian's)"
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="grantdocs-redis-"))
    proc = subprocess.Popen([redis_bin, "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--daemonize", "no",
                             "--dir", str(base)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        def ready() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for("Redis to start", ready, 15)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        shutil.rmtree(base, ignore_errors=True)
