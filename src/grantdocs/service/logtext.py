"""The service's start and stop log lines in the user's language, with their codes.

uvicorn and Huey log how the server and the job workers start and stop in English.
Each such record is known by its logger and its format (``record.msg``, the constant
string the library passes, like a gettext msgid); :func:`coded_text` gives the message
of :mod:`grantdocs.messages_service` for it, filled in with the record's own values,
which :class:`grantdocs.service.logs.JsonFormatter` puts in ``message`` (in the
language of ``GRANTDOCS_LANG``/``LANG``) with its ``code``. Other records are logged
as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from grantdocs import messages_service as S
from grantdocs.catalog import Text

_Make = Callable[[tuple[object, ...], logging.LogRecord], Text]

_UVICORN = "uvicorn.error"
_HUEY = "huey.consumer"


def _url(args: tuple[object, ...]) -> str:
    protocol, host, port = (str(a) for a in args[:3])
    host = f"[{host}]" if ":" in host else host
    return f"{protocol}://{host}:{port}"


def _workers(args: tuple[object, ...], _: logging.LogRecord) -> Text:
    count = args[0]
    return S.WORKERS_STARTED(count=count if isinstance(count, int) else str(count),
                             pid=str(args[2]))


def _periodic(args: tuple[object, ...], _: logging.LogRecord) -> Text:
    return S.PERIODIC_OFF() if args and args[0] == "disabled" else S.PERIODIC_ON()


def _ready(_: tuple[object, ...], record: logging.LogRecord) -> Text:
    count = getattr(record, "render_workers", "")
    return S.SERVICE_READY(data=str(getattr(record, "data", "")),
                           count=count if isinstance(count, int) else str(count))


_KNOWN: dict[tuple[str, str], _Make] = {
    (_UVICORN, "Started server process [%d]"): lambda a, _: S.SERVER_STARTED(pid=str(a[0])),
    (_UVICORN, "Waiting for application startup."): lambda a, _: S.APP_STARTING(),
    (_UVICORN, "Application startup complete."): lambda a, _: S.APP_STARTED(),
    (_UVICORN, "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)"):
        lambda a, _: S.LISTENING(url=_url(a)),
    (_UVICORN, "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)"):
        lambda a, _: S.LISTENING(url=_url(a)),
    (_UVICORN, "Shutting down"): lambda a, _: S.SHUTTING_DOWN(),
    (_UVICORN, "Waiting for application shutdown."): lambda a, _: S.APP_STOPPING(),
    (_UVICORN, "Application shutdown complete."): lambda a, _: S.APP_STOPPED(),
    (_UVICORN, "Finished server process [%d]"): lambda a, _: S.SERVER_STOPPED(pid=str(a[0])),
    ("grantdocs.service.access", "started"): _ready,
    (_HUEY, "Huey consumer started with %s %s, PID %s at %s"): _workers,
    (_HUEY, "Scheduler runs every %s second(s)."):
        lambda a, _: S.SCHEDULER_EVERY(seconds=str(a[0])),
    (_HUEY, "Periodic tasks are %s."): _periodic,
    (_HUEY, "Received SIGINT"): lambda a, _: S.SIGNAL_RECEIVED(signal="SIGINT"),
    (_HUEY, "Received %s"): lambda a, _: S.SIGNAL_RECEIVED(signal=str(a[0])),
    (_HUEY, "Shutting down gracefully..."): lambda a, _: S.STOPPING_GRACEFULLY(),
    (_HUEY, "All workers have stopped."): lambda a, _: S.WORKERS_STOPPED(),
    (_HUEY, "Shutting down"): lambda a, _: S.SHUTTING_DOWN(),
    (_HUEY, "Consumer exiting."): lambda a, _: S.WORKER_EXITING(),
    ("grantdocs.service.worker", "the server that started this worker is gone; stopping"):
        lambda a, _: S.SERVER_GONE(),
}
_COMMANDS = "The following commands are available:"


def coded_text(record: logging.LogRecord) -> Text | None:
    """The message for ``record``, if it is one of the start and stop lines, else None."""
    if not isinstance(record.msg, str):
        return None
    args = record.args if isinstance(record.args, tuple) else ()
    make = _KNOWN.get((record.name, record.msg))
    if make is not None:
        try:
            return make(args, record)
        except (IndexError, TypeError, ValueError):  # a library that logs other values
            return None
    if record.name == _HUEY and record.msg.startswith(_COMMANDS):
        tasks = [line.removeprefix("+ ") for line in record.msg.splitlines()[1:]]
        return S.TASKS(tasks=", ".join(tasks))
    return None
