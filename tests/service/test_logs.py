"""The access log and the request id as an ASGI middleware, and the log writer thread of
``grantdocs serve`` (:mod:`grantdocs.service.logs`). In process: a small Starlette app
through the test client, and the root logger configured and put back."""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Iterator

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


class Stream(io.StringIO):
    """stderr for the test: what was written, and by which threads."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()

    def write(self, text: str) -> int:
        self.writers.add(threading.current_thread().name)
        return super().write(text)


@pytest.fixture
def root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        logs._stop_writer()
        root.handlers[:] = handlers
        root.setLevel(level)


def test_the_server_writes_its_log_lines_from_a_thread_of_their_own(
        root_logger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Stream()
    monkeypatch.setattr(sys, "stderr", stream)
    logs.configure(in_thread=True)
    logs.access.info("request", extra={"request_id": "abc", "status": 200})
    try:
        raise ValueError("a bug")
    except ValueError:
        logging.getLogger("grantdocs.service").exception("unexpected error")
    logs._stop_writer()  # what exit does: everything queued is written
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(r["logger"], r["level"], r["message"]) for r in lines] == [
        ("grantdocs.service.access", "info", "request"),
        ("grantdocs.service", "error", "unexpected error")]
    assert lines[0]["request_id"] == "abc" and lines[0]["status"] == 200 and lines[0]["time"]
    assert "ValueError: a bug" in lines[1]["exception"]
    assert stream.writers and threading.current_thread().name not in stream.writers


def test_without_the_thread_lines_are_written_where_they_are_logged(
        root_logger: None, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Stream()
    monkeypatch.setattr(sys, "stderr", stream)
    logs.configure(logging.WARNING)  # grantdocs worker: its processes fork
    logging.getLogger("grantdocs.x").warning("careful")
    assert json.loads(stream.getvalue())["message"] == "careful"
    assert stream.writers == {threading.current_thread().name}
