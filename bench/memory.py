"""Benchmark: peak memory of `grantdocs letters --format pdf --jobs 2` at 1,000 and 5,000 letters.

Run ``.venv/bin/python bench/memory.py`` (after ``./run.sh bench --help`` or ``./run.sh test`` has
set up ``.venv``). See bench/README.md for the method. The target (issue 8) is that the whole
process tree's peak grows by 10 % or less from the small batch to the large one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUND = ROOT / "samples" / "round-2022"
GRANTDOCS = [sys.executable, "-m", "grantdocs"]
MB = 1024 * 1024


def json_input(n: int, target: Path) -> Path:
    """``n`` cases from the 2022 sample round (188 cases), repeated with unique references."""
    doc = json.loads((ROUND / "decisions.json").read_text("utf-8"))
    sample = doc["cases"]
    cases = []
    for i in range(n):
        case = json.loads(json.dumps(sample[i % len(sample)]))
        case["decision"]["case_number"] = f"22/{i + 1:05d}-1"
        case["application"]["reference"] = f"2022-{i + 1:05d}"
        case["organisation"]["name"] = f"{case['organisation']['name']} {i + 1}"
        cases.append(case)
    target.write_text(json.dumps({**doc, "cases": cases}, ensure_ascii=False), "utf-8")
    return target


def csv_input(n: int, target: Path) -> Path:
    """The same as :func:`json_input` from the round's CSV sheet (read as a stream)."""
    rows = list(csv.reader((ROUND / "decisions.csv").read_text("utf-8-sig").splitlines(),
                           delimiter=";"))
    header, body = rows[0], rows[1:]
    ref, org = header.index("Saksnummer"), header.index("Organisasjon")
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        for i in range(n):
            row = list(body[i % len(body)])
            row[ref] = f"22/{i + 1:05d}-1"
            row[org] = f"{row[org]} {i + 1}"
            writer.writerow(row)
    return target


def high_water_mark(pid: int) -> int:
    """The kernel's peak RSS of one process (VmHWM, bytes); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Peaks:
    wall: float = 0.0
    parent: int = 0  # the parent's own peak (VmHWM)
    largest_child: int = 0  # the largest descendant's peak (VmHWM)
    tree: int = 0  # the largest sum of RSS over the tree at one sample
    tree_children: int = 0  # the same without the parent
    tree_pss: int = 0  # the largest sum of PSS over the tree at one sample
    rusage_children: int = 0  # ru_maxrss of the parent's reaped descendants (wait4)
    processes: int = 0  # distinct descendants seen (workers replaced count again)
    samples: int = 0
    written: int = 0
    per_child: dict[int, tuple[str, int]] = field(default_factory=dict)


def measure(source: Path, fmt: str, jobs: int, interval: float,
            extra: list[str]) -> Peaks:
    """Run one `grantdocs letters` and sample its process tree every ``interval`` seconds."""
    peaks = Peaks()
    with tempfile.TemporaryDirectory() as out:
        cmd = [*GRANTDOCS, "letters", str(source), "--out", out, "--format", fmt,
               "--jobs", str(jobs), "--quiet", *extra]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd)
        try:
            status = _sample(proc, peaks, interval)
        finally:
            if proc.returncode is None:  # interrupted: stop the run we started (it cleans up)
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        peaks.wall = time.perf_counter() - t0
        if status != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {status}")
        summary = json.loads((Path(out) / "manifest.json").read_text("utf-8"))["summary"]
        peaks.written = int(summary["written"])
    peaks.processes = len(peaks.per_child)
    peaks.largest_child = max((v[1] for v in peaks.per_child.values()), default=0)
    return peaks


def rss_pss(pid: int) -> tuple[int, int]:
    """Resident and proportional set size of one process (bytes); (0, 0) once it is gone.

    PSS divides each page shared with other processes (forked workers share the
    parent's heap and libraries until they write to it) among its sharers, so a
    tree's PSS adds up to the memory it really holds.
    """
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError):
        pass
    return rss, pss


def _sample(proc: subprocess.Popen[bytes], peaks: Peaks, interval: float) -> int:
    """Sample ``proc``'s tree into ``peaks`` until it exits; return its exit code."""
    import psutil

    parent = psutil.Process(proc.pid)
    while True:
        pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(raw)
            peaks.rusage_children = usage.ru_maxrss * 1024  # kB on Linux
            return proc.returncode
        try:
            children = parent.children(recursive=True)
        except psutil.Error:
            children = []
        peaks.parent = max(peaks.parent, high_water_mark(proc.pid))
        own_rss, own_pss = rss_pss(proc.pid)
        rss_children = pss_children = 0
        for child in children:
            if child.pid not in peaks.per_child:
                try:
                    name = f"ppid {child.ppid():>7}  " + " ".join(child.cmdline()[1:4])[:60]
                except psutil.Error:
                    continue
                peaks.per_child[child.pid] = (name, 0)
            rss, pss = rss_pss(child.pid)
            rss_children += rss
            pss_children += pss
            name, old = peaks.per_child[child.pid]
            peaks.per_child[child.pid] = (name, max(old, high_water_mark(child.pid), rss))
        peaks.tree = max(peaks.tree, own_rss + rss_children)
        peaks.tree_children = max(peaks.tree_children, rss_children)
        peaks.tree_pss = max(peaks.tree_pss, own_pss + pss_children)
        peaks.samples += 1
        time.sleep(interval)

def report(n: int, p: Peaks) -> None:
    print(f"  {n:>5} letters: {p.wall:6.1f} s, {p.written} written, {p.samples} samples, "
          f"{p.processes} child processes seen", flush=True)
    print(f"        parent peak {p.parent / MB:6.1f} MB,"
          f" largest child {p.largest_child / MB:6.1f} MB,"
          f" whole tree {p.tree / MB:6.1f} MB RSS (children {p.tree_children / MB:6.1f} MB),"
          f" {p.tree_pss / MB:6.1f} MB PSS,"
          f" ru_maxrss of reaped children {p.rusage_children / MB:6.1f} MB", flush=True)


def growth(small: float, large: float) -> str:
    if not small:
        return "   n/a"
    return f"{(large / small - 1) * 100:+5.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs=2, default=(1000, 5000),
                        metavar=("SMALL", "LARGE"), help="batch sizes (default: 1000 5000)")
    parser.add_argument("--format", default="pdf", help="output format (default: pdf)")
    parser.add_argument("--input", choices=("json", "csv"), default="json",
                        help="input file kind, from samples/round-2022 (default: json)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default: 2)")
    parser.add_argument("--interval", type=float, default=0.05,
                        help="seconds between samples of the process tree (default: 0.05)")
    parser.add_argument("--verbose", action="store_true", help="print every child's peak")
    parser.add_argument("extra", nargs="*", help="more options for `grantdocs letters`, after --")
    args = parser.parse_args()
    # a timeout's SIGTERM unwinds like Ctrl-C, so the run being measured is stopped too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    make = json_input if args.input == "json" else csv_input
    small, large = args.sizes
    print(f"peak memory of `grantdocs letters --format {args.format} --jobs {args.jobs}` on "
          f"{args.input.upper()} input (samples/round-2022 repeated), {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, sampled every {args.interval * 1000:.0f} ms",
          flush=True)
    results: dict[int, Peaks] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (small, large):
            print(f"  {n:>5} letters: running", flush=True)
            source = make(n, Path(tmp) / f"cases-{n}.{args.input}")
            results[n] = measure(source, args.format, args.jobs, args.interval, args.extra)
            if results[n].written != n:
                raise RuntimeError(f"{results[n].written} of {n} letters written")
            report(n, results[n])
            if args.verbose:
                for pid, (name, peak) in sorted(results[n].per_child.items()):
                    print(f"          pid {pid:>7}  {peak / MB:6.1f} MB  {name}")
    s, big = results[small], results[large]
    print(f"\ngrowth {small} -> {large} letters (target: whole tree <= +10%):")
    rows: list[tuple[str, Any, Any]] = [
        ("whole tree (sum of RSS)", s.tree, big.tree),
        ("parent (VmHWM)", s.parent, big.parent),
        ("largest child (VmHWM)", s.largest_child, big.largest_child),
        ("children together (sum of RSS)", s.tree_children, big.tree_children),
        ("whole tree (sum of PSS)", s.tree_pss, big.tree_pss),
    ]
    for name, a, b in rows:
        print(f"  {name:32} {a / MB:7.1f} -> {b / MB:7.1f} MB  {growth(a, b)}  "
              f"ratio {b / a if a else float('nan'):.3f}")
    ok = big.tree <= s.tree * 1.10
    print(f"  verdict: {'met' if ok else 'NOT met'}")
    print(f"  own ru_maxrss (this script): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
