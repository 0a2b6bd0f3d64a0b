"""The /healthz prober of ``bench/service.py``: a small client process of its own.

``python bench/healthz_probe.py BASE TOKEN LOCATION TIMEOUT [TAG [raw]]`` sends ``GET /healthz``
every 10 ms over one kept-alive connection until the batch at ``LOCATION`` is no longer
``queued`` or ``running`` (asked every 10th probe), then prints one JSON object: every
probe's latency, and the longest garbage collection of this process meanwhile. Probe
``i`` carries ``X-Request-ID: TAG<i>``, so the bench can find its handler time in the
server's access log. With ``raw``, the probes are plain bytes on a socket of their own
(:class:`RawProbe`) instead of httpx's (which costs the client a few hundred microseconds of
Python a probe); the status is still asked through httpx, untimed.

It is a process of its own, at the priority it was started with (the bench's, normally
nice 0), and imports nothing but httpx, like a load balancer's or an orchestrator's health
check: so that what is timed is the server's answer, not the pauses of a client that holds
the whole library and a warm letter renderer in its heap (a full collection of the bench's
own process took tens of milliseconds, longer than the answer it was timing).
"""

from __future__ import annotations

import gc
import json
import socket
import sys
import time
from typing import Any
from urllib.parse import urlsplit

import httpx


class RawProbe:
    """``GET /healthz`` as bytes over a kept-alive socket, the answer read to its last
    byte: what a load balancer's C health check costs the client, next to nothing."""

    def __init__(self, base: str) -> None:
        where = urlsplit(base)
        self.host = f"{where.hostname}:{where.port}"
        self.sock = socket.create_connection((where.hostname, where.port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def get(self, request_id: str) -> None:
        self.sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {self.host}\r\nX-Request-ID: "
                          f"{request_id}\r\n\r\n".encode("ascii"))
        data = b""
        while b"\r\n\r\n" not in data:
            data += self.recv()
        head, _, body = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"probe: /healthz answered {head[:40]!r}")
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(body) < length:
            body += self.recv()

    def recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise SystemExit("probe: the server closed the connection")
        return chunk

    def close(self) -> None:
        self.sock.close()


def main() -> None:
    base, token, location, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    tag = sys.argv[5] if len(sys.argv) > 5 else "probe-"
    raw = RawProbe(base) if sys.argv[6:7] == ["raw"] else None
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
        if raw is not None:
            raw.get(f"open-{tag}")  # its connection, opened untimed too
        gc.collect()
        gc.freeze()  # what importing httpx made: never walked while a probe waits
        gc.callbacks.append(pause)
        deadline = time.monotonic() + timeout
        status = "queued"
        while status in ("queued", "running") and time.monotonic() < deadline:
            headers = {"X-Request-ID": f"{tag}{len(times)}"}
            t0 = time.perf_counter()
            if raw is not None:
                raw.get(headers["X-Request-ID"])
            else:
                client.get("/healthz", headers=headers).raise_for_status()
            times.append(time.perf_counter() - t0)
            if len(times) % 10 == 0:
                status = client.get(location).json()["status"]
            time.sleep(0.01)
    if raw is not None:
        raw.close()
    print(json.dumps({"times": times, "status": status, "gc_worst": gc_worst[0]}))


if __name__ == "__main__":
    main()
