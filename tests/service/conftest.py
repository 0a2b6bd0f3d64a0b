"""The real server for the API tests: ``grantdocs serve`` on 127.0.0.1, one per session.

Two servers are started, each once: ``server`` as a deployment runs it (one job
worker; the same server serves tests/web/ and tests/browser/, :func:`main_server`), and
``limits_server`` with tight limits (a 1 MB body, a queue bound of one
task, at most 5 rows, no job worker, so its queue never drains) for 413, 429 and the
input limits. Each is waited for on ``/healthz`` (bounded in tries and time) and
stopped at the end; its log (JSON lines on stderr) is a file the tests read.

The test processes of pytest-xdist share them (:func:`shared`): the first to need one
starts it and notes it in a file beside the processes' temporary folders, under a
lock; the last to finish stops it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from grantdocs.service.settings import ServiceSettings
from tests.helpers import cli
from tests.pdfa_hook import session_folder
from tests.service.jobs_support import FAST, settings_for

# The job workers the tests' servers start render at nice 19 (what `grantdocs serve` gave
# them before SCHED_IDLE became the default; workers started by hand run at the tests' own
# priority, jobs_support.start_worker): on a test machine kept busy by other work, SCHED_IDLE
# workers get next to no CPU, and these tests give each batch a deadline. The default is
# checked on a server of its own (test_priority.py).
os.environ.setdefault("GRANTDOCS_WORKER_PRIORITY", "low")


@functools.cache
def local_tls() -> ssl.SSLContext:
    """One TLS context for every client of the tests' servers (plain HTTP on 127.0.0.1, so
    it is never used): otherwise each ``httpx.Client`` builds its own, loading the CA bundle,
    about 30 ms of CPU, a hundred-odd times a run."""
    return ssl.create_default_context()


def local(**kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` for the tests' servers, with no token (:func:`local_tls`)."""
    return httpx.Client(verify=local_tls(), **kwargs)


@dataclass
class Server:
    url: str
    data: Path
    token: str
    log: Path
    process: subprocess.Popen[bytes] | None  # None in the test processes that did not start it
    pid: int

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.anonymous(**{"headers": headers, **kwargs})

    def anonymous(self, **kwargs: Any) -> httpx.Client:
        """A client with no token."""
        return local(**{"base_url": self.url, "timeout": 60, **kwargs})

    def log_lines(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def batch_ended(client: httpx.Client, location: str, seconds: float = 180) -> dict[str, Any]:
    """``GET location`` (a batch's URL) until the batch is ``done`` or ``failed``; its JSON."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(location).json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    pytest.fail(f"the batch is still {status['status']} after {seconds} s")


def new_token(data: Path, name: str) -> str:
    made = cli("token", "create", "--data", data, "--name", name)
    assert made.exit_code == 0, made.output
    return made.stdout.strip().splitlines()[-1]


def serve_command(port: int, data: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "grantdocs", "serve", "--host", "127.0.0.1", "--port",
            str(port), "--data", str(data), "--workers", str(workers)]


def start(data: Path, log: Path, *, workers: int, env: dict[str, str] | None = None,
          token: str | None = None, port: int | None = None) -> Server:
    port = port or free_port()
    token = token or new_token(data, "tests")
    with log.open("ab") as err:
        process = subprocess.Popen(serve_command(port, data, workers),
                                   stdout=subprocess.DEVNULL, stderr=err,
                                   env={**os.environ, **(env or {})},
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    # One client for every probe: a new one (httpx.get) builds an SSL context each time,
    # about 19 ms of CPU, and a loaded machine takes hundreds of probes to start a server.
    with local(timeout=2) as probe:
        for _ in range(900):
            if process.poll() is not None:
                pytest.fail(f"grantdocs serve exited with {process.returncode}:\n"
                            f"{log.read_text('utf-8')[-3000:]}")
            try:
                if probe.get(f"{url}/healthz").status_code == 200:
                    return Server(url, data, token, log, process, process.pid)
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
    stop(process, process.pid)
    pytest.fail(f"grantdocs serve did not answer /healthz in 90 s:\n"
                f"{log.read_text('utf-8')[-3000:]}")


def stop(process: subprocess.Popen[bytes] | None, pid: int) -> None:
    """SIGTERM, then SIGKILL of the server's whole process group if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # exited (a zombie, if another process started it)
        if process is not None and process.poll() is not None:
            break
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)  # render workers, job workers left behind
    if process is not None:
        process.wait(10)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def shared(factory: pytest.TempPathFactory, name: str, *, workers: int,
           env: dict[str, str] | None = None) -> Iterator[Server]:
    """One server for every test process of the session (or the only one)."""
    root = session_folder(factory.getbasetemp())
    note, lock = root / f"{name}.json", root / f"{name}.lock"
    with _locked(lock):
        known = json.loads(note.read_text()) if note.is_file() else None
        if known is not None and psutil.pid_exists(known["pid"]):
            known["users"] += 1
            running = Server(known["url"], Path(known["data"]), known["token"],
                             Path(known["log"]), None, known["pid"])
        else:
            folder = root / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            running = start(folder / "data", folder / "server.log", workers=workers, env=env)
            known = {"url": running.url, "data": str(running.data), "token": running.token,
                     "log": str(running.log), "pid": running.pid, "users": 1}
        note.write_text(json.dumps(known))
    try:
        yield running
    finally:
        with _locked(lock):
            known = json.loads(note.read_text())
            known["users"] -= 1
            note.write_text(json.dumps(known))
            if known["users"] == 0:
                stop(running.process, running.pid)
                note.unlink()


#: For a server whose processes render nothing in the tests that use it (or little: a few
#: batches): its render workers and job workers build their renderers at first use, about
#: 1 CPU-second less per process (``GRANTDOCS_WARM_UP``, on by default).
COLD = {"GRANTDOCS_WARM_UP": "0"}

#: The settings of :func:`main_server`: a link rate limit (``/g/``) no test meets; the
#: limit's own test sets its own, in process (tests/web/test_security.py).
MAIN_ENV = {"GRANTDOCS_LINK_RATE": "100000"}


@contextlib.contextmanager
def main_server(factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The one ``grantdocs serve`` (one job worker) of the API, web and browser tests, in
    every test process: each start costs about 6-8 CPU-seconds (the server, its warmed
    render worker, its job worker and the process that worker forks). The web tests use
    a token of their own (:func:`tests.web.app_support.web_server`), so what one side lists
    (a caseworker's batches) holds none of the other's."""
    with shared(factory, "serve", workers=1, env=MAIN_ENV) as running:
        yield running


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with main_server(tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="session")
def limits_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # It renders nothing but a refusal: no renderer is built before its first use.
    with shared(tmp_path_factory, "serve-limits", workers=0, env={
            "GRANTDOCS_MAX_BODY_MB": "1", "GRANTDOCS_QUEUE_BOUND": "1",
            "GRANTDOCS_MAX_ROWS": "5", **COLD}) as running:
        yield running


@pytest.fixture(scope="module")
def fast(tmp_path_factory: pytest.TempPathFactory) -> ServiceSettings:
    """One migrated database for the module, with the tests' short job timings (the job
    tests that run planning, chunks and assembly in the test process)."""
    return replace(settings_for(tmp_path_factory.mktemp("jobs") / "data"), environ=FAST)
