"""Structured logs: one JSON object per line on stderr, for journald, Loki or Elasticsearch.

Every record has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, and
whatever the code passed as ``extra`` (a request's ``request_id``, ``method``,
``path``, ``status``, ``duration_ms``). uvicorn's own records go through the same
handler; its access log is replaced by ours (:class:`AccessLog`), which has the
request id and the duration. The lines that say how the server and the job workers
start and stop are in the user's language, with a ``code``
(:mod:`grantdocs.service.logtext`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from grantdocs.i18n import say
from grantdocs.service.logtext import coded_text

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message",
                                                                           "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # the server, its job workers and their children share stderr
            "message": record.getMessage(),
        }
        text = coded_text(record)
        if text is not None:  # start and stop: in the user's language, with the code
            data["message"], data["code"] = say(text), text.code
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key != "color_message":
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


_COPIER: list[subprocess.Popen[bytes]] = []


def _stderr_through_a_pipe() -> None:
    """If stderr is a regular file, make it a pipe, and let a ``cat`` of its own (in a
    session of its own, so a terminal's Ctrl-C leaves it to end at the pipe's end) copy
    the pipe to that file.

    A write to a log file can stall for milliseconds while the file system commits its
    journal, which the job workers' fsyncs make it do often: the server's event loop, which
    writes each request's line, waited (up to 7 ms a write in bench/service.py, longer than
    a whole /healthz). A write to a pipe with room in it (1 MB) never waits for the disk. Not
    a thread of the server's: a writer thread must take the GIL for every line, and under
    load the event loop waited for it far more often (88 waits over 1 ms against 12 in the
    same run). The server's children inherit the pipe, and ``cat`` ends when the last of
    them has; no line is lost when the server is killed."""
    try:
        if not stat.S_ISREG(os.fstat(2).st_mode):
            return  # a terminal, a pipe, journald's socket: nothing waits on a disk
    except OSError:
        return
    cat = shutil.which("cat")
    if cat is None or _COPIER:
        return
    read, write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 1 << 20)
    target = os.dup(2)
    try:
        _COPIER.append(subprocess.Popen([cat], stdin=read, stdout=target, stderr=target,
                                        start_new_session=True))
        sys.stderr.flush()
        os.dup2(write, 2)
    finally:
        for fd in (read, write, target):
            os.close(fd)


def configure(level: int = logging.INFO, *, server: bool = False) -> None:
    """JSON lines on stderr for the root logger (and so for uvicorn's loggers).

    For the ``server``, stderr goes through a pipe if it is a file
    (:func:`_stderr_through_a_pipe`), so its event loop never waits on the disk.
    """
    if server:
        _stderr_through_a_pipe()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("alembic").setLevel(logging.WARNING)


access = logging.getLogger("grantdocs.service.access")

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def _request_id(scope: Scope) -> str:
    """The client's ``X-Request-ID`` (its first 64 characters), else a new one."""
    for key, value in scope.get("headers", ()):
        if key.lower() == b"x-request-id" and value:
            given: str = value.decode("latin-1")
            return given[:64]
    return uuid.uuid4().hex


class AccessLog:
    """An ASGI middleware: a request id (``X-Request-ID``, also ``request.state.request_id``)
    and one log line per request, once its answer is sent; ``count(scope, status)`` is
    called for every answer (the requests metric).

    A plain ASGI middleware, not Starlette's ``BaseHTTPMiddleware``: that one runs the rest
    of the application in a task of its own with memory streams between them, for every
    request, which cost more than the whole route of ``/healthz``.
    """

    def __init__(self, app: ASGIApp,
                 count: Callable[[Scope, int], None] | None = None) -> None:
        self.app = app
        self.count = count

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        raw_id = request_id.encode("latin-1")
        status, logged = 0, False

        def log() -> None:
            nonlocal logged
            logged = True
            access.info("request", extra={
                "request_id": request_id, "method": scope["method"], "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2)})

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", ())
                           if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", raw_id))
                message = {**message, "headers": headers}
                if self.count is not None:
                    self.count(scope, status)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                log()  # before the client has the whole answer, as before
            await send(message)

        await self.app(scope, receive, send_with_id)
        if not logged:  # no answer, or not a whole one (the client went away)
            log()
