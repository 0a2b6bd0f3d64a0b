"""The real server for the API tests: ``grantdocs serve`` on 127.0.0.1, one per session.

Two servers are started, each once: ``server`` as a deployment runs it (one job
worker), and ``limits_server`` with tight limits (a 1 MB body, a queue bound of one
task, at most 5 rows, no job worker, so its queue never drains) for 413, 429 and the
input limits. Each is waited for on ``/healthz`` (bounded in tries and time) and
stopped at the end; its log (JSON lines on stderr) is a file the tests read.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.helpers import cli


@dataclass
class Server:
    url: str
    data: Path
    token: str
    log: Path
    process: subprocess.Popen[bytes]

    def client(self, token: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60,
                            **kwargs)  # type: ignore[arg-type]

    def log_lines(self) -> list[str]:
        return self.log.read_text("utf-8").splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    for _ in range(900):
        if process.poll() is not None:
            pytest.fail(f"grantdocs serve exited with {process.returncode}:\n"
                        f"{log.read_text('utf-8')[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return Server(url, data, token, log, process)
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    stop(process)
    pytest.fail(f"grantdocs serve did not answer /healthz in 90 s:\n"
                f"{log.read_text('utf-8')[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL of the server's whole process group if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # render workers, job workers left behind


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    running = start(base / "data", base / "server.log", workers=1)
    yield running
    stop(running.process)


@pytest.fixture(scope="session")
def limits_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve-limits")
    running = start(base / "data", base / "server.log", workers=0, env={
        "GRANTDOCS_MAX_BODY_MB": "1", "GRANTDOCS_QUEUE_BOUND": "1", "GRANTDOCS_MAX_ROWS": "5"})
    yield running
    stop(running.process)
