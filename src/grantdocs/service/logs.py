"""Structured logs: one JSON object per line on stderr, for journald, Loki or Elasticsearch.

Every record has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, and
whatever the code passed as ``extra`` (a request's ``request_id``, ``method``,
``path``, ``status``, ``duration_ms``). uvicorn's own records go through the same
handler; its access log is replaced by ours (:func:`access_log`), which has the
request id and the duration. The lines that say how the server and the job workers
start and stop are in the user's language, with a ``code``
(:mod:`grantdocs.service.logtext`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
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


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the root logger (and so for uvicorn's loggers)."""
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

Call = Callable[[Any], Awaitable[Any]]


async def access_log(request: Any, call_next: Call) -> Any:
    """An HTTP middleware: a request id (``X-Request-ID``) and one log line per request."""
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    request_id = request_id[:64]
    request.state.request_id = request_id
    started = time.perf_counter()
    response = await call_next(request)
    response.headers["X-Request-ID"] = request_id
    access.info("request", extra={
        "request_id": request_id, "method": request.method, "path": request.url.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2)})
    return response
