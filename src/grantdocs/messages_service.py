"""What ``grantdocs serve`` and ``grantdocs worker`` log as they start and stop, with codes.

Part of the registry of :mod:`grantdocs.messages` (listed by
:func:`grantdocs.messages.registry`). uvicorn and Huey log these in English;
:mod:`grantdocs.service.logtext` puts the user's language in the ``message`` of
the JSON log line instead, with the code in its ``code`` field.
"""

from __future__ import annotations

from grantdocs.catalog import N_, Message

# The HTTP server (uvicorn) --------------------------------------------------------------------

SERVER_STARTED = Message("GD-I030", N_("server process {pid} started"))
APP_STARTING = Message("GD-I031", N_("waiting for the service to start"))
APP_STARTED = Message("GD-I032", N_("the service has started"))
LISTENING = Message("GD-I033", N_("listening on {url}; stop with Ctrl-C"))
SHUTTING_DOWN = Message("GD-I034", N_("shutting down"))
APP_STOPPING = Message("GD-I035", N_("waiting for the service to stop"))
APP_STOPPED = Message("GD-I036", N_("the service has stopped"))
SERVER_STOPPED = Message("GD-I037", N_("server process {pid} has ended"))
SERVICE_READY = Message(
    "GD-I038", N_("grantdocs is ready (data folder {data}, {count} process that makes documents)"),
    plural=N_("grantdocs is ready (data folder {data}, {count} processes that make documents)"))

# The job workers (Huey) -----------------------------------------------------------------------

WORKERS_STARTED = Message("GD-I039", N_("Huey consumer started: {count} job worker, PID {pid}"),
                          plural=N_("Huey consumer started: {count} job workers, PID {pid}"))
SCHEDULER_EVERY = Message("GD-I040", N_("the scheduler looks for due tasks every {seconds} s"))
PERIODIC_OFF = Message("GD-I041", N_("periodic tasks are off"))
PERIODIC_ON = Message("GD-I042", N_("periodic tasks are on"))
TASKS = Message("GD-I043", N_("the tasks it runs: {tasks}"))
SIGNAL_RECEIVED = Message("GD-I044", N_("received {signal}"))
STOPPING_GRACEFULLY = Message("GD-I045",
                              N_("shutting down: the tasks that are running are finished first"))
WORKERS_STOPPED = Message("GD-I046", N_("every job worker has stopped"))
WORKER_EXITING = Message("GD-I047", N_("the job worker has stopped"))
SERVER_GONE = Message("GD-W040", N_("the server that started this job worker is gone; stopping"))
