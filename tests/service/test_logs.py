"""The access log and the request id as an ASGI middleware (in process: a small app through
the test client), and how ``grantdocs serve`` writes its log to a file: through a pipe
(a small Python process of its own, killed)."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, StreamingResponse
from fastapi.testclient import TestClient

from grantdocs.service import logs


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kept() -> Iterator[Kept]:
    handler = Kept()
    logs.access.addHandler(handler)
    level = logs.access.level
    logs.access.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logs.access.removeHandler(handler)
        logs.access.setLevel(level)


def small_app(counted: list[tuple[str, int]]) -> FastAPI:
    app = FastAPI()
    app.add_middleware(logs.AccessLog, count=lambda scope, status: counted.append(
        (scope["method"], status)))

    @app.get("/plain")
    def plain() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"X-Request-ID": "the route's own"})

    @app.get("/streamed")
    def streamed() -> StreamingResponse:
        return StreamingResponse(iter([b"a", b"b", b"c"]), media_type="text/plain")

    return app


def test_every_answer_has_one_request_id_and_one_log_line_with_its_fields(
        kept: Kept) -> None:
    counted: list[tuple[str, int]] = []
    with TestClient(small_app(counted)) as client:
        given = "r" * 100
        plain = client.get("/plain", headers={"X-Request-ID": given})
        made = client.get("/plain")
        streamed = client.get("/streamed")
        missing = client.post("/nowhere")
    assert plain.text == "ok" and streamed.text == "abc" and missing.status_code == 404
    assert plain.headers.get_list("x-request-id") == ["r" * 64]  # the client's, cut to 64
    assert len(made.headers["x-request-id"]) == 32 and made.headers["x-request-id"] != "r" * 64
    fields = [{k: getattr(r, k) for k in ("request_id", "method", "path", "status")}
              for r in kept.records]
    assert fields == [
        {"request_id": "r" * 64, "method": "GET", "path": "/plain", "status": 200},
        {"request_id": made.headers["x-request-id"], "method": "GET", "path": "/plain",
         "status": 200},
        {"request_id": streamed.headers["x-request-id"], "method": "GET", "path": "/streamed",
         "status": 200},
        {"request_id": missing.headers["x-request-id"], "method": "POST", "path": "/nowhere",
         "status": 404},
    ]
    assert all(r.getMessage() == "request" and r.duration_ms >= 0  # type: ignore[attr-defined]
               for r in kept.records)
    assert counted == [("GET", 200), ("GET", 200), ("GET", 200), ("POST", 404)]


SERVER_LOGS = """
import logging, os, stat, sys
from grantdocs.service import logs
logs.configure(server=True)
logging.getLogger("grantdocs.service.access").info("request", extra={"request_id": "abc"})
print("fifo" if stat.S_ISFIFO(os.fstat(2).st_mode) else "not a pipe", flush=True)
os.kill(os.getpid(), 9)  # killed: what it logged must still reach the file
"""


def run_server_logs(stderr: Any) -> str:
    done = subprocess.run([sys.executable, "-c", SERVER_LOGS], stdout=subprocess.PIPE,
                          stderr=stderr, timeout=60, text=True)
    assert done.returncode == -signal.SIGKILL
    return done.stdout.strip()


def test_a_server_logging_to_a_file_writes_through_a_pipe_and_loses_nothing_when_killed(
        tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        assert run_server_logs(err) == "fifo"
    deadline = time.monotonic() + 20  # the copier writes what is left in the pipe, and ends
    while '"abc"' not in log.read_text("utf-8") and time.monotonic() < deadline:
        time.sleep(0.05)
    record = json.loads(log.read_text("utf-8"))
    assert (record["message"], record["request_id"], record["level"]) == ("request", "abc",
                                                                         "info")


def test_a_server_logging_elsewhere_than_to_a_file_writes_there_directly() -> None:
    assert run_server_logs(subprocess.DEVNULL) == "not a pipe"  # like a terminal or a socket
