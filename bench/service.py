"""Benchmark of ``grantdocs serve`` and its job workers (issue 12), on 127.0.0.1 only.

* throughput of a letters batch with ``grantdocs worker --workers 2`` against ``--workers 1``
  (the default set-up: SQLite database, Huey on SQLite), warm workers, submit to done;
* one letter over HTTP (``POST /api/v1/letters?format=pdf``) against the same letter
  rendered in process by a warm :class:`~grantdocs.letters.LetterRenderer`;
* the worst ``GET /healthz`` latency while the server's workers render a batch, against
  one letter's render time;
* 200 concurrent downloads of grantee templates (p50, p99), if the server has such an
  endpoint.

Everything is bounded: counts are small and every wait has a deadline. Run
``.venv/bin/python bench/service.py [--letters 40] [--chunk 10]``; see bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.helpers import make_case  # noqa: E402
from tests.service.jobs_support import (  # noqa: E402
    batch_row,
    free_port,
    make_batch,
    settings_for,
    stop,
)

from grantdocs.service.jobs import submit_batch  # noqa: E402
from grantdocs.service.settings import ServiceSettings  # noqa: E402

GRANTDOCS = [sys.executable, "-m", "grantdocs"]


def letters_json(folder: Path, n: int, tag: str) -> Path:
    """``n`` two-page rejections, one in three in Nynorsk, as a JSON upload."""
    cases = [make_case("rejected", "nn" if i % 3 == 0 else "nb",
                       decision={"case_number": f"22/{i + 1:05d}-{tag}"},
                       organisation={"name": f"Frivillig Forening nr. {i + 1}"}
                       ).model_dump(mode="json") for i in range(n)]
    path = folder / f"vedtak-{tag}.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return path


def wait(what: str, check: Callable[[], bool], timeout: float, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise SystemExit(f"bench: timed out after {timeout} s waiting for {what}")


@dataclass
class Through:
    """One batch through the workers: its id, the wall-clock second it was submitted, and
    the seconds from there to done (the assembler's own timestamp on the batch row)."""

    batch_id: str
    submitted: float
    seconds: float


def _epoch(when: dt.datetime) -> float:
    """A database timestamp as seconds since the epoch (SQLite keeps no time zone: UTC)."""
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()


def run_batch_through(settings: ServiceSettings, upload: Path, timeout: float) -> Through:
    """Submit a batch to the running workers; seconds until it is done.

    The end is the batch row's ``updated_at``, which the assembler sets in the transaction
    that marks the batch done, not the moment this process sees it: so the bench can poll
    seldom (every 0.2 s), and its polling takes no CPU the workers need. Polling every
    20 ms, as before 2026-12-01 19:00 UTC, cost a few per cent of a core at normal
    priority, taken from the workers (``SCHED_IDLE``) only when they had both cores."""
    batch_id = make_batch(settings, upload, formats="pdf")
    submitted = time.time()
    t0 = time.perf_counter()
    submit_batch(settings, batch_id)
    wait("the batch", lambda: batch_row(settings, batch_id).status in ("done", "failed"),
         timeout, every=0.2)
    seen = time.perf_counter() - t0
    row = batch_row(settings, batch_id)
    if row.status != "done" or row.failed:
        raise SystemExit(f"bench: batch {row.status}, {row.failed} failed: {row.error}")
    done = _epoch(row.updated_at) - submitted
    return Through(batch_id, submitted, done if 0 < done <= seen else seen)


@dataclass
class Worked:
    """The timed batch of :func:`throughput`: how long, the CPU-seconds of the worker
    processes meanwhile, and its timeline from the workers' log."""

    seconds: float
    cpu: float
    timeline: list[tuple[float, str]]


def tree_cpu(pid: int) -> float:
    """User + system CPU-seconds of a process and its living descendants."""
    import psutil

    total = 0.0
    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return total
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def timeline(log: Path, through: Through) -> list[tuple[float, str]]:
    """The worker log's lines about one batch: (seconds after submit, what happened)."""
    events = []
    for line in log.read_text("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        message = str(record.get("message", ""))
        if through.batch_id not in message:
            continue
        when = dt.datetime.fromisoformat(record["time"]).timestamp() - through.submitted
        what = message.replace(f"batch {through.batch_id} ", "").replace(
            f"batch {through.batch_id}: ", "")
        events.append((when, f"[pid {record['pid']}] {what}" if "pid" in record else what))
    return sorted(events)


def rendering_pids(log: Path, through: Through) -> set[str]:
    """The worker processes that rendered a chunk of the batch (by the log's pid)."""
    return {what.split("]")[0] for _, what in timeline(log, through)
            if what.startswith("[pid") and ": started" in what}


@contextmanager
def workers_running(workers: int, chunk: int, timeout: float, priority: str = "normal"
                    ) -> Iterator[tuple[ServiceSettings, Path, subprocess.Popen[bytes]]]:
    """``grantdocs worker --workers N --priority P`` on a fresh data folder, every process
    warmed. Its log (JSON lines) is ``worker.log`` in the folder."""
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        folder = Path(tmp)
        settings = settings_for(folder / "data")
        env = {**os.environ, "GRANTDOCS_CHUNK_SIZE": str(chunk),
               "GRANTDOCS_SWEEP_SECONDS": "5"}
        log = (folder / "worker.log").open("wb")
        proc = subprocess.Popen([*GRANTDOCS, "worker", "--data", str(settings.data_dir),
                                 "--workers", str(workers), "--priority", priority],
                                env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            # Warm every worker process: one chunk each, not timed. A process that took no
            # chunk (another took two) would build its renderer in the timed batch: warm
            # again, a few times at most (a log without process ids, before 2026-12-01
            # 19:00 UTC, is not checked).
            for attempt in range(4):
                warm = run_batch_through(
                    settings, letters_json(folder, chunk * workers, f"warm{attempt}"), timeout)
                pids = rendering_pids(folder / "worker.log", warm)
                if not pids or len(pids) >= workers:
                    break
                print(f"  warm-up: {len(pids)} of {workers} worker processes rendered; "
                      "again", flush=True)
            yield settings, folder, proc
        finally:
            stop(proc)
            log.close()


def throughput(workers: int, n: int, chunk: int, timeout: float,
               priority: str = "normal") -> Worked:
    """``n`` letters with ``workers`` warm worker processes: seconds, CPU, timeline."""
    with workers_running(workers, chunk, timeout, priority) as (settings, folder, proc):
        upload = letters_json(folder, n, "timed")
        cpu = tree_cpu(proc.pid)
        through = run_batch_through(settings, upload, timeout)
        cpu = tree_cpu(proc.pid) - cpu
        return Worked(through.seconds, cpu, timeline(folder / "worker.log", through))


def engine(jobs: int, n: int, timeout: float) -> tuple[float, float]:
    """Seconds and CPU-seconds of ``grantdocs letters --jobs N`` on the same letters: what
    the machine gives."""
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        upload = letters_json(Path(tmp), n, "cli")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([*GRANTDOCS, "letters", str(upload), "--out", str(Path(tmp) / "out"),
                        "--format", "pdf", "--jobs", str(jobs), "--quiet"], check=True,
                       timeout=timeout)
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return seconds, cpu


@contextmanager
def server(data: Path, workers: int, log: Path) -> Iterator[tuple[str, str, int]]:
    """``grantdocs serve`` on 127.0.0.1 and a free port; its base URL, a bearer token and
    its process id. Its log (JSON lines) goes to ``log``."""
    made = subprocess.run([*GRANTDOCS, "token", "create", "--data", str(data), "--name",
                           f"bench-{uuid.uuid4().hex[:8]}"], capture_output=True, text=True,
                          check=True, timeout=60)
    token = made.stdout.strip().splitlines()[-1]
    port = free_port()
    err = log.open("wb")
    proc = subprocess.Popen([*GRANTDOCS, "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--data", str(data), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait("the server", up, 60)
        yield base, token, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        err.close()


def post_letter(client: Any, body: dict[str, Any], request_id: str | None = None) -> float:
    """Seconds of one ``POST /api/v1/letters?format=pdf``, the answer checked."""
    headers = {"X-Request-ID": request_id} if request_id else {}
    t0 = time.perf_counter()
    answer = client.post("/api/v1/letters", params={"format": "pdf"}, json=body,
                         headers=headers)
    elapsed = time.perf_counter() - t0
    if answer.status_code != 200 or not answer.content.startswith(b"%PDF"):
        raise SystemExit(f"bench: POST /api/v1/letters gave {answer.status_code}")
    return elapsed


def server_cpu(server_pid: int) -> float:
    """CPU seconds so far of the server and its render workers (not its job workers, which
    are idle while single letters are timed)."""
    import psutil

    total = 0.0
    with contextlib.suppress(psutil.Error):
        main = psutil.Process(server_pid)
        for proc in [main, *main.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                total += times.user + times.system
    return total


def render_seconds(base: str) -> tuple[float, float]:
    """(sum, count) of the server's ``grantdocs_render_seconds`` for PDF letters: the time
    spent in the render worker's own render call."""
    import httpx

    found = {"sum": 0.0, "count": 0.0}
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        for what in found:
            if line.startswith(f'grantdocs_render_seconds_{what}{{format="pdf",kind="letters"}}'):
                found[what] = float(line.rsplit(" ", 1)[1])
    return found["sum"], found["count"]


def access_records(log: Path, prefix: str) -> dict[str, dict[str, Any]]:
    """The server's access-log records whose request id starts with ``prefix``, by id."""
    found: dict[str, dict[str, Any]] = {}
    for line in log.read_text("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        rid = record.get("request_id") if isinstance(record, dict) else None
        if isinstance(rid, str) and rid.startswith(prefix):
            found[rid] = record
    return found


def letter_rounds(base: str, token: str, rounds: int, server_pid: int,
                  log: Path) -> dict[str, Any]:
    """One letter in process (A) and over HTTP (B), interleaved in the same window: A B, B A,
    A B ... for ``rounds`` rounds, so a slow spell of the shared machine hits both alike.

    Besides the medians: the median of each round's own B ÷ A, the server's handler time
    (its access log, matched by request id) and the render worker's own render time (the
    ``grantdocs_render_seconds`` metric), and the CPU per letter of this process (A) and of
    the server with its render workers (B)."""
    import httpx

    from grantdocs.letters import LetterRenderer

    renderer = LetterRenderer()
    case = make_case("rejected", "nb")
    body = case.model_dump(mode="json")
    local: list[float] = []
    remote: list[float] = []
    cpu = {"local": 0.0, "server": 0.0}
    tag = f"bench-{uuid.uuid4().hex[:8]}-"
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=60) as client:
        for _ in range(2):  # warm both, untimed
            renderer.render(case, "pdf")
            post_letter(client, body)
        rendered_before = render_seconds(base)

        def in_process() -> None:
            c0, t0 = time.process_time(), time.perf_counter()
            renderer.render(case, "pdf")
            local.append(time.perf_counter() - t0)
            cpu["local"] += time.process_time() - c0

        def over_http() -> None:
            remote.append(post_letter(client, body, f"{tag}{len(remote)}"))

        server_before = server_cpu(server_pid)  # idle while A renders: all of it is B's
        for i in range(rounds):
            for measure in ((in_process, over_http) if i % 2 == 0 else (over_http, in_process)):
                measure()
        cpu["server"] = server_cpu(server_pid) - server_before
        rendered_after = render_seconds(base)
    time.sleep(0.5)  # the server's last log lines
    handled = access_records(log, tag)
    handler = [float(r["duration_ms"]) / 1000 for r in handled.values()]
    worker_count = rendered_after[1] - rendered_before[1]
    worker_mean = ((rendered_after[0] - rendered_before[0]) / worker_count
                   if worker_count else 0.0)
    a, b = statistics.median(local), statistics.median(remote)
    return {"rounds": rounds, "in_process": a, "over_http": b, "ratio": b / a,
            "pair_ratio": statistics.median(y / x for x, y in zip(local, remote, strict=True)),
            "in_process_min": min(local), "over_http_min": min(remote),
            "handler": statistics.median(handler) if handler else 0.0,
            "handled": len(handler), "worker_render_mean": worker_mean,
            "cpu_in_process": cpu["local"] / rounds, "cpu_server": cpu["server"] / rounds}


def warm_up(base: str, token: str, folder: Path, timeout: float) -> None:
    """A two-letter batch to done, so the server's job worker has started and warmed its
    renderers before anything is timed (while it starts, it competes for the cores with
    the request being measured: that cost 25-30 ms of a 70 ms letter)."""
    healthz_while_rendering(base, token, folder, 2, timeout, tag="warm")


def healthz_while_rendering(base: str, token: str, folder: Path, n: int,
                            timeout: float, tag: str = "health",
                            server_pid: int | None = None,
                            log: Path | None = None, raw: bool = False) -> dict[str, Any]:
    """The worst /healthz latency (and the number of probes) while a batch renders, and
    the CPU policy of the server's processes while they do.

    The probes are sent by ``bench/healthz_probe.py``, a small process of its own (see
    there why); this process only starts the batch and looks at the processes' policy
    once a second. With the server's ``log``, each probe's handler time is read from the
    access log (the probes carry request ids): ``slowest`` lists the five slowest probes as
    (client ms, handler ms), so a slow answer shows whether the server's handler was slow
    or the request waited outside it (for the event loop, for a core, in the client)."""
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    upload = letters_json(folder, n, tag)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        made = client.post("/api/v1/batches", data={"formats": "pdf"},
                           files={"file": (upload.name, upload.read_bytes(),
                                           "application/json")})
    if made.status_code != 202:
        raise SystemExit(f"bench: POST /api/v1/batches gave {made.status_code}")
    ids = f"hz-{uuid.uuid4().hex[:8]}-"
    prober = subprocess.Popen([sys.executable, str(ROOT / "bench" / "healthz_probe.py"), base,
                               token, made.headers["Location"], str(timeout), ids,
                               *(["raw"] if raw else [])],
                              stdout=subprocess.PIPE)
    seen: dict[str, set[str]] = {}
    deadline = time.monotonic() + timeout + 30
    while prober.poll() is None and time.monotonic() < deadline:
        if server_pid is not None:
            for role, policies in process_policies(server_pid, prober.pid).items():
                seen.setdefault(role, set()).update(policies)
        time.sleep(1)
    out, _ = prober.communicate(timeout=30)
    probed = json.loads(out)
    if probed["status"] != "done":
        raise SystemExit(f"bench: the batch was {probed['status']} when the probes stopped")
    times = sorted(probed["times"])
    handled: dict[str, dict[str, Any]] = {}
    if log is not None:
        time.sleep(0.5)  # the server's last log lines
        handled = access_records(log, ids)
    handler = sorted(float(r["duration_ms"]) / 1000 for r in handled.values())
    slowest = sorted(enumerate(probed["times"]), key=lambda p: -p[1])[:5]
    return {"worst": times[-1] if times else 0.0, "probes": len(times),
            "p50": statistics.median(times) if times else 0.0,
            "p99": times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0,
            "handler_worst": handler[-1] if handler else 0.0,
            "handler_p50": statistics.median(handler) if handler else 0.0,
            "handled": len(handler),
            "slowest": [(round(t * 1000, 1),
                         handled.get(f"{ids}{i}", {}).get("duration_ms")) for i, t in slowest],
            "client_gc_worst": probed["gc_worst"],
            "policies": {role: sorted(p) for role, p in seen.items()}}


def process_policies(server_pid: int, probe_pid: int) -> dict[str, set[str]]:
    """The CPU policy and nice value of the server, its render and its job worker processes
    (and its log copier), of this bench and of its prober (the client):
    ``{"server": {"SCHED_OTHER/0"}, ...}``."""
    import psutil

    from grantdocs.service.priority import policy_name

    found: dict[str, set[str]] = {}

    def note(role: str, pid: int) -> None:
        with contextlib.suppress(OSError, psutil.Error):  # gone meanwhile
            found.setdefault(role, set()).add(
                f"{policy_name(pid)}/{os.getpriority(os.PRIO_PROCESS, pid)}")

    note("bench", os.getpid())
    note("probe", probe_pid)
    note("server", server_pid)
    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.Error:
        return found
    for child in children:
        try:
            line = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "resource_tracker" in line:
            continue  # multiprocessing's bookkeeping, asleep
        if "python" not in line:
            note("log copier", child.pid)  # the cat that copies the log pipe to its file
            continue
        note("job workers" if " worker " in f"{line} " else "render workers", child.pid)
    return found


def template_downloads(base: str, token: str, count: int) -> str:
    """``count`` concurrent downloads of a grantee's report template (p50, p99).

    A GET endpoint for ready templates is used if the OpenAPI lists one; else the
    synchronous ``POST /api/v1/report-templates?format=docx`` that makes one from a case.
    """
    import httpx

    paths = httpx.get(f"{base}/openapi.json", timeout=10).json().get("paths", {})
    ready = [p for p, ops in paths.items() if "template" in p and "get" in ops and "{" not in p]
    headers = {"Authorization": f"Bearer {token}"}
    body = make_case("granted", "nb").model_dump(mode="json")
    if ready:
        how, request = f"GET {ready[0]}", {"method": "GET", "url": f"{base}{ready[0]}"}
    elif "/api/v1/report-templates" in paths:
        how = "POST /api/v1/report-templates?format=docx (no GET endpoint for ready templates)"
        request = {"method": "POST", "url": f"{base}/api/v1/report-templates",
                   "params": {"format": "docx"}, "json": body}
    else:
        return "not measured: the server has no endpoint for grantee templates"
    times: list[float] = []
    errors: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(count)

    def fetch() -> None:
        start.wait(30)
        t0 = time.perf_counter()
        try:
            answer = httpx.request(headers=headers, timeout=120, **request)
            ok = answer.status_code == 200 and len(answer.content) > 0
        except httpx.HTTPError:
            ok = False
        with lock:
            (times if ok else errors).append(time.perf_counter() - t0)

    threads = [threading.Thread(target=fetch) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    times.sort()
    if not times:
        return f"{how}: every download failed"
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (f"{how}: {len(times)} ok, {len(errors)} failed; p50 "
            f"{statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=120, help="letters in the timed batch")
    parser.add_argument("--chunk", type=int, default=15, help="records per chunk")
    parser.add_argument("--rounds", type=int, default=40,
                        help="interleaved rounds of one letter in process and over HTTP")
    parser.add_argument("--batch-rounds", type=int, default=2,
                        help="interleaved rounds of the throughput runs (fastest kept)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per wait")
    parser.add_argument("--skip-http", action="store_true", help="only the workers")
    parser.add_argument("--timeline", action="store_true",
                        help="print each timed batch's timeline from the workers' log")
    parser.add_argument("--skip-throughput", action="store_true",
                        help="only the HTTP measurements")
    parser.add_argument("--raw-probes", action="store_true",
                        help="send the /healthz probes as plain bytes on a socket, not "
                             "through httpx (bench/healthz_probe.py)")
    parser.add_argument("--skip-downloads", action="store_true",
                        help="not the 200 concurrent template downloads")
    parser.add_argument("--worker-priority", choices=("idle", "low", "normal"), default=None,
                        help="GRANTDOCS_WORKER_PRIORITY for the servers and workers started "
                             "(default: the server's own, idle; the throughput workers: "
                             "normal, like the grantdocs letters they are compared with)")
    args = parser.parse_args()
    if args.worker_priority:
        os.environ["GRANTDOCS_WORKER_PRIORITY"] = args.worker_priority
    results: dict[str, Any] = {"load_before": os.getloadavg(),
                               "worker_priority": args.worker_priority or "default",
                               "throughput_priority": args.worker_priority or "normal"}
    if not args.skip_throughput:
        results["throughput"] = throughputs(args)

    from grantdocs.cli import cli

    if args.skip_http:
        pass
    elif "serve" not in cli.commands:
        results["http"] = "not measured: grantdocs serve is not in this build"
        print(results["http"])
    else:
        results["http"] = http_measures(args)
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False))


def throughputs(args: argparse.Namespace) -> dict[str, Any]:
    # Interleaved rounds, the fastest of each kept: a slow spell on the shared cores then
    # hits every measurement alike.
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for _ in range(args.batch_rounds):
        for label, workers in (("one", 1), ("two", 2), ("cli1", 1), ("cli2", 2)):
            if label.startswith("cli"):
                seconds, used = engine(workers, args.letters, args.timeout)
                print(f"  grantdocs letters --jobs {workers}: {seconds:.2f} s, {used:.1f} CPU-s "
                      f"(load {os.getloadavg()[0]:.1f})", flush=True)
                if seconds < best.get(label, float("inf")):
                    cpu[label] = used
            else:
                worked = throughput(workers, args.letters, args.chunk, args.timeout,
                                    args.worker_priority or "normal")
                seconds = worked.seconds
                print(f"  {workers} worker(s): {seconds:.2f} s, {worked.cpu:.1f} CPU-s "
                      f"(load {os.getloadavg()[0]:.1f})", flush=True)
                if args.timeline:
                    for when, what in worked.timeline:
                        print(f"    {when:7.3f} s  {what}")
                if seconds < best.get(label, float("inf")):
                    cpu[label] = worked.cpu
            best[label] = min(best.get(label, float("inf")), seconds)
    one, two = best["one"], best["two"]
    print(f"throughput, {args.letters} letters in chunks of {args.chunk}: 1 worker "
          f"{one:.1f} s, 2 workers {two:.1f} s: 2 workers ÷ 1 = {one / two:.2f} "
          f"(grantdocs letters --jobs 1 ÷ --jobs 2 on the same letters: "
          f"{best['cli1'] / best['cli2']:.2f})", flush=True)
    return {"letters": args.letters, "chunk": args.chunk, "rounds": args.batch_rounds,
            "one_worker_s": round(one, 2), "two_workers_s": round(two, 2),
            "one_worker_cpu_s": round(cpu["one"], 2), "two_workers_cpu_s": round(cpu["two"], 2),
            "two_over_one": round(one / two, 2), "cli_jobs1_s": round(best["cli1"], 2),
            "cli_jobs2_s": round(best["cli2"], 2), "cli_jobs1_cpu_s": round(cpu["cli1"], 2),
            "cli_jobs2_cpu_s": round(cpu["cli2"], 2),
            "cli_two_over_one": round(best["cli1"] / best["cli2"], 2)}


def http_measures(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        log = Path(tmp) / "server.log"
        with server(Path(tmp) / "data", 1, log) as (base, token, pid):
            warm_up(base, token, Path(tmp), args.timeout)
            letter = letter_rounds(base, token, args.rounds, pid, log)
            health = healthz_while_rendering(base, token, Path(tmp), args.letters,
                                             args.timeout, server_pid=pid, log=log,
                                             raw=args.raw_probes)
            downloads = ("not measured (--skip-downloads)" if args.skip_downloads
                         else template_downloads(base, token, 200))
    local, over_http = letter["in_process"], letter["over_http"]
    worst = health["worst"]
    print(f"one letter, {letter['rounds']} interleaved rounds: in process {local * 1000:.1f} ms, "
          f"over HTTP {over_http * 1000:.1f} ms (medians): HTTP ÷ in process = "
          f"{over_http / local:.2f} (median of the rounds' own ratios "
          f"{letter['pair_ratio']:.2f}; fastest {letter['in_process_min'] * 1000:.1f} / "
          f"{letter['over_http_min'] * 1000:.1f} ms)")
    print(f"  over HTTP: the server's handler {letter['handler'] * 1000:.1f} ms (median of "
          f"{letter['handled']}), the render worker's own render "
          f"{letter['worker_render_mean'] * 1000:.1f} ms (mean); CPU per letter: in process "
          f"{letter['cpu_in_process'] * 1000:.1f} ms, server and render worker "
          f"{letter['cpu_server'] * 1000:.1f} ms")
    client = "plain socket" if args.raw_probes else "httpx"
    print(f"worst /healthz ({client} probes) while a batch renders: {worst * 1000:.1f} ms over "
          f"{health['probes']} probes = {worst / local:.3f} × one letter (p50 "
          f"{health['p50'] * 1000:.1f} ms, p99 {health['p99'] * 1000:.1f} ms; in the server's "
          f"handler: worst {health['handler_worst'] * 1000:.2f} ms, p50 "
          f"{health['handler_p50'] * 1000:.2f} ms of {health['handled']}; slowest five "
          f"(client ms, handler ms) {health['slowest']}; longest GC pause of the prober "
          f"{health['client_gc_worst'] * 1000:.1f} ms)")
    print(f"CPU policy/nice while it renders: {health['policies']}")
    print(f"200 concurrent template downloads: {downloads}")
    return {"letter_rounds": letter["rounds"],
            "letter_in_process_ms": round(local * 1000, 1),
            "letter_over_http_ms": round(over_http * 1000, 1),
            "http_over_in_process": round(over_http / local, 2),
            "http_over_in_process_pairs": round(letter["pair_ratio"], 2),
            "letter_handler_ms": round(letter["handler"] * 1000, 1),
            "letter_worker_render_ms": round(letter["worker_render_mean"] * 1000, 1),
            "cpu_in_process_ms": round(letter["cpu_in_process"] * 1000, 1),
            "cpu_server_ms": round(letter["cpu_server"] * 1000, 1),
            "healthz_client": client,
            "healthz_worst_ms": round(worst * 1000, 1), "healthz_probes": health["probes"],
            "healthz_p50_ms": round(health["p50"] * 1000, 2),
            "healthz_p99_ms": round(health["p99"] * 1000, 2),
            "healthz_worst_in_handler_ms": round(health["handler_worst"] * 1000, 2),
            "healthz_slowest": health["slowest"],
            "client_gc_worst_ms": round(health["client_gc_worst"] * 1000, 2),
            "healthz_worst_over_letter": round(worst / local, 3),
            "policies": health["policies"], "template_downloads": downloads}


if __name__ == "__main__":
    main()
