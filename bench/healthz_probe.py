"""The /healthz prober of ``bench/service.py``: a small client process of its own.

``python bench/healthz_probe.py BASE TOKEN LOCATION TIMEOUT [TAG]`` sends ``GET /healthz``
every 10 ms over one kept-alive connection until the batch at ``LOCATION`` is no longer
``queued`` or ``running`` (asked every 10th probe), then prints one JSON object: every
probe's latency, and the longest garbage collection of this process meanwhile. Probe
``i`` carries ``X-Request-ID: TAG<i>``, so the bench can find its handler time in the
server's access log.

It is a process of its own, at the priority it was started with (the bench's, normally
nice 0), and imports nothing but httpx, like a load balancer's or an orchestrator's health
check: so that what is timed is the server's answer, not the pauses of a client that holds
the whole library and a warm letter renderer in its heap (a full collection of the bench's
own process took tens of milliseconds, longer than the answer it was timing).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from typing import Any

import httpx


def main() -> None:
    base, token, location, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    tag = sys.argv[5] if len(sys.argv) > 5 else "probe-"
    gc_worst, gc_started = [0.0], [0.0]

    def pause(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_worst[0] = max(gc_worst[0], time.perf_counter() - gc_started[0])

    times: list[float] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        client.get("/healthz").raise_for_status()  # the connection, opened untimed
        gc.collect()
        gc.freeze()  # what importing httpx made: never walked while a probe waits
        gc.callbacks.append(pause)
        deadline = time.monotonic() + timeout
        status = "queued"
        while status in ("queued", "running") and time.monotonic() < deadline:
            headers = {"X-Request-ID": f"{tag}{len(times)}"}
            t0 = time.perf_counter()
            client.get("/healthz", headers=headers).raise_for_status()
            times.append(time.perf_counter() - t0)
            if len(times) % 10 == 0:
                status = client.get(location).json()["status"]
            time.sleep(0.01)
    print(json.dumps({"times": times, "status": status, "gc_worst": gc_worst[0]}))


if __name__ == "__main__":
    main()
