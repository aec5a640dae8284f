"""Training time and peak memory of train_model for 10 thousand to 1 million reports.

Each size runs in a fresh Python process: it builds N synthetic labelled reports
(bench/synthetic.py), then times the project's own train_model on them, while a thread
polls the resident memory of that process and all its children (the parallel workers)
every 50 ms. The peak is also checked against getrusage's high-water marks. A held-out
set of 5,000 other synthetic reports gives the quality, to show the bigger models still work.

Run from the repository root:
    .venv/bin/python -m bench.training_scale [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return out


def tree_rss(pid: int) -> int:
    """Return the summed resident set size, in bytes, of pid and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
        todo += _children(p)
    return total


class PeakMeter(threading.Thread):
    """Polls tree_rss of this process in the background and keeps the maximum."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self.stopped = interval, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            time.sleep(self.interval)


def _cpu_seconds() -> float:
    """Return user + system CPU seconds of this process and of its live and ended children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    ticks = os.sysconf("SC_CLK_TCK")
    todo = _children(os.getpid())
    while todo:  # workers kept alive for reuse have not been reaped yet
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
        todo += _children(p)
    return total


def one(n: int, jobs: int | None) -> dict:
    """Generate n reports, train on them, return the measurements (child-process side)."""
    from bench.synthetic import synthetic_reports
    from classifier import evaluate, train_model

    data = synthetic_reports(n, seed=1)
    held_out = synthetic_reports(5_000, seed=2)
    chars = sum(map(len, data.texts))
    before = tree_rss(os.getpid())
    meter = PeakMeter()
    meter.start()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    model = train_model(data, n_jobs=jobs, progress=lambda m: print(
        f"  [{n}] {time.perf_counter() - started:6.1f} s {m}", file=sys.stderr, flush=True))
    took = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    meter.stopped.set()
    meter.join()
    metrics = evaluate(model, held_out)
    self_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    width = model.fast_topic.space.width if model.fast_topic else 0
    return {
        "n": n, "seconds": took, "cpu_seconds": cpu, "peak_rss": meter.peak, "rss_before": before,
        "maxrss_self": self_max, "maxrss_children": children_max, "chars": chars,
        "features": width, "estimator": type(model.topic_pipeline[-1].calibrated_classifiers_[0]
                                             .estimator).__name__,
        "topic_accuracy": metrics["topic"]["accuracy"],
        "roc_auc": metrics["actionable"]["roc_auc"],
    }


def main() -> None:
    """Run each size in its own process and print the table and growth factors."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default 2)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.jobs)))
        return
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, "-m", "bench.training_scale", "--one", str(n)]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        out = subprocess.run(command, cwd=REPO, check=True, capture_output=False,
                             stdout=subprocess.PIPE, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    gb = 1024**3
    print("\n| reports | train s | CPU s | peak RSS GB (tree) | RSS before GB"
          " | maxrss self / children GB | features | estimator | held-out topic acc | act. AUC |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.0f} | "
              f"{r['peak_rss'] / gb:.2f} | "
              f"{r['rss_before'] / gb:.2f} | {r['maxrss_self'] / gb:.2f} / "
              f"{r['maxrss_children'] / gb:.2f} | {r['features']:,} | {r['estimator']} | "
              f"{r['topic_accuracy']:.3f} | {r['roc_auc']:.3f} |")
    print(f"load average at the end {os.getloadavg()[0]:.2f}; "
          f"{time.perf_counter() - started:.0f} s in all")
    for a, b in zip(rows, rows[1:], strict=False):
        print(f"x{b['n'] / a['n']:.0f} reports: time x{b['seconds'] / a['seconds']:.1f}, "
              f"CPU x{b['cpu_seconds'] / a['cpu_seconds']:.1f}, "
              f"peak memory x{b['peak_rss'] / a['peak_rss']:.1f}")


if __name__ == "__main__":
    main()
