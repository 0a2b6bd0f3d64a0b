"""A/B of two builds of ``grantdocs serve`` side by side, on 127.0.0.1 only.

``python bench/service_ab.py --a-src OLD/src [--b-src NEW/src] [--rounds 60] [--letters 30]``
starts one server from each source tree (``PYTHONPATH``; B defaults to this checkout)
and measures them interleaved, so a slow spell of the shared machine hits both alike:

* one PDF letter: in this process (warm renderer), then A and B over HTTP, in an order
  that rotates every round; medians, each server's handler time (its access log) and CPU
  per letter (the server and its render workers);
* ``/healthz`` on idle servers: probes alternating A, B;
* ``/healthz`` while each server's own job worker renders a batch of ``--letters``: both
  batches at once (same load on both), one prober process per server
  (``bench/healthz_probe.py``); worst, p50, p99, and handler times.

``--a-block uvloop,httptools`` hides those modules from A (an old build that would
otherwise pick them up from the shared virtual environment).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.helpers import make_case  # noqa: E402

import service as bench  # noqa: E402


def side_env(src: Path, block: list[str], folder: Path) -> dict[str, str]:
    paths = [str(src)]
    if block:
        hidden = folder / "blocked"
        for name in block:
            (hidden / name).mkdir(parents=True, exist_ok=True)
            (hidden / name / "__init__.py").write_text(
                f"raise ImportError('{name} hidden for the A/B')\n")
        paths.append(str(hidden))
    return {"PYTHONPATH": os.pathsep.join(paths)}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a-src", type=Path, required=True)
    parser.add_argument("--b-src", type=Path, default=ROOT / "src")
    parser.add_argument("--a-block", default="")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--idle-probes", type=int, default=300)
    parser.add_argument("--letters", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    import httpx

    from grantdocs.letters import LetterRenderer

    results: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as tmp, ExitStack() as stack:
        sides: dict[str, dict[str, Any]] = {}
        for name, src, block in (("A", args.a_src, [b for b in args.a_block.split(",") if b]),
                                 ("B", args.b_src, [])):
            folder = Path(tmp) / name
            folder.mkdir()
            env = side_env(src.resolve(), block, folder)
            saved = dict(os.environ)
            os.environ.update(env)  # server() starts its commands with this environment
            try:
                base, token, pid = stack.enter_context(
                    bench.server(folder / "data", 1, folder / "server.log"))
            finally:
                os.environ.clear()
                os.environ.update(saved)
            sides[name] = {"base": base, "token": token, "pid": pid, "folder": folder,
                           "log": folder / "server.log"}
            bench.warm_up(base, token, folder, args.timeout)
        clients = {n: stack.enter_context(httpx.Client(
            base_url=s["base"], headers={"Authorization": f"Bearer {s['token']}"}, timeout=60))
            for n, s in sides.items()}

        # --- one letter -----------------------------------------------------------------
        renderer = LetterRenderer()
        case = make_case("rejected", "nb")
        body = case.model_dump(mode="json")
        for _ in range(2):
            renderer.render(case, "pdf")
            for c in clients.values():
                bench.post_letter(c, body)
        times: dict[str, list[float]] = {"local": [], "A": [], "B": []}
        tag = f"ab-{uuid.uuid4().hex[:6]}-"
        cpu0 = {n: bench.server_cpu(s["pid"]) for n, s in sides.items()}

        def local() -> None:
            t0 = time.perf_counter()
            renderer.render(case, "pdf")
            times["local"].append(time.perf_counter() - t0)

        def remote(name: str) -> None:
            times[name].append(bench.post_letter(clients[name], body,
                                                 f"{tag}{name}{len(times[name])}"))

        legs = [local, lambda: remote("A"), lambda: remote("B")]
        for i in range(args.rounds):
            for k in range(3):
                legs[(i + k) % 3]()
        cpu = {n: (bench.server_cpu(s["pid"]) - cpu0[n]) / args.rounds
               for n, s in sides.items()}
        time.sleep(0.5)
        letter: dict[str, Any] = {"rounds": args.rounds,
                                  "in_process_ms": statistics.median(times["local"]) * 1000}
        for name, s in sides.items():
            handled = bench.access_records(s["log"], f"{tag}{name}")
            handler = [float(r["duration_ms"]) for r in handled.values()]
            letter[name] = {
                "median_ms": round(statistics.median(times[name]) * 1000, 1),
                "over_in_process": round(statistics.median(times[name])
                                         / statistics.median(times["local"]), 3),
                "pairs": round(statistics.median(
                    b / a for a, b in zip(times["local"], times[name], strict=True)), 3),
                "handler_ms": round(statistics.median(handler), 1) if handler else None,
                "cpu_per_letter_ms": round(cpu[name] * 1000, 1)}
        letter["B_over_A"] = round(letter["B"]["median_ms"] / letter["A"]["median_ms"], 3)
        results["letter"] = letter
        print(json.dumps({"letter": letter}), flush=True)

        # --- /healthz, idle -------------------------------------------------------------------
        idle: dict[str, list[float]] = {"A": [], "B": []}
        itag = f"idle-{uuid.uuid4().hex[:6]}-"
        cpu0 = {n: bench.server_cpu(s["pid"]) for n, s in sides.items()}
        for i in range(args.idle_probes):
            for name in (("A", "B") if i % 2 == 0 else ("B", "A")):
                t0 = time.perf_counter()
                clients[name].get("/healthz", headers={
                    "X-Request-ID": f"{itag}{len(idle[name])}"}).raise_for_status()
                idle[name].append(time.perf_counter() - t0)
        icpu = {n: (bench.server_cpu(s["pid"]) - cpu0[n]) / args.idle_probes
                for n, s in sides.items()}
        time.sleep(0.5)
        healthz: dict[str, Any] = {}
        for name, s in sides.items():
            handled = bench.access_records(s["log"], itag)
            handler = [float(r["duration_ms"]) for r in handled.values()]
            healthz[name] = {"p50_ms": round(statistics.median(idle[name]) * 1000, 2),
                             "p99_ms": round(pct(idle[name], 0.99) * 1000, 2),
                             "worst_ms": round(max(idle[name]) * 1000, 2),
                             "handler_p50_ms": round(statistics.median(handler), 3)
                             if handler else None,
                             "cpu_per_probe_ms": round(icpu[name] * 1000, 2)}
        results["healthz_idle"] = healthz
        print(json.dumps({"healthz_idle": healthz}), flush=True)

        # --- /healthz while both render a batch -------------------------------------------
        busy: dict[str, Any] = {}
        import threading

        def probe(name: str) -> None:
            s = sides[name]
            busy[name] = bench.healthz_while_rendering(
                s["base"], s["token"], s["folder"], args.letters, args.timeout,
                tag=f"busy{name}", log=s["log"])

        threads = [threading.Thread(target=probe, args=(n,)) for n in sides]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.timeout + 60)
        summary = {n: {k: (round(v * 1000, 2) if isinstance(v, float) else v)
                       for k, v in b.items() if k not in ("policies",)}
                   for n, b in busy.items()}
        results["healthz_busy"] = summary
        print(json.dumps({"healthz_busy": summary}), flush=True)
    results["load_after"] = os.getloadavg()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
