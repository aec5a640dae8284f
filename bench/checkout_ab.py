"""Queue and clustering of two checkouts side by side in one run: CPU ms per call, in turns.

Sequential runs of bench/desk_queue.py and bench.clustering differ by up to 55 % between two
runs of the same code on this shared machine, too much to show a 10 % bound. Here one
long-lived worker process per checkout (its own code on sys.path, its own SQLite databases
built by its own migrations and its own bench loaders, bench/queue_data.py and
bench/clustering.py) serves "run operation X k times" over stdin/stdout, and the driver has
the workers take turns in short rounds (the order rotating every round), so load drifts fall
on every side alike. A third worker runs the new checkout again against a copy of its
databases: the A/A ratio shows the bench's own noise.

Operations, as the two benches measure them: the queue's first page, a filtered page, the
overdue page and "claim next" (test client, released between calls, untimed), and
clustering's lookup (find_case of a new report's signature) and attach (the whole intake
step), rolled back. Both sides get the same inputs: the loaders are seeded, and the new
reports are built from the same sampled claims in the same order on every side.

For each operation it prints the median CPU ms (time.process_time of the worker; with SQLite
that includes the database's work) of old, new and the copy, the ratio of the medians, the
ratio's 95 % interval from resampling whole rounds (bootstrap), and the spread of the
round-by-round ratios (quartiles).

    git worktree add /tmp/old 4ee7831
    .venv/bin/python bench/checkout_ab.py --old /tmp/old --size 10000 --rounds 24 --calls 20
"""

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "bench" / "checkout_worker.py"  # the process serving each side
class Side:
    """In the driver: one worker process."""

    def __init__(self, name: str, tree: Path, data_dir: Path, args) -> None:
        self.name, self.tree = name, tree
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                "--worker",
                str(tree),
                "--data-dir",
                str(data_dir),
                "--size",
                str(args.size),
                "--backlog",
                str(args.backlog),
                *(["--corpus-file", str(args.corpus_file)] if args.corpus_file else []),
            ],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def wait_ready(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"{self.name} worker failed"
        ready = json.loads(line)
        code = Path(ready["ready"]).resolve()
        assert code.is_relative_to(self.tree), (self.name, code)  # its own checkout's code
        return ready  # and the operations it times

    def run(self, op: str, k: int) -> dict:
        self.proc.stdin.write(json.dumps({"op": op, "k": k}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def ratio_spread(
    a_rounds: list[list[float]], b_rounds: list[list[float]], resamples: int = 2000
) -> tuple[float, float, float, float, float]:
    """Ratio of medians b/a, its 95 % bootstrap interval over whole rounds, and the
    quartiles of the round-by-round ratios."""
    rng = random.Random(0)
    med = statistics.median
    ratio = med(sum(b_rounds, [])) / med(sum(a_rounds, []))
    n, boot = len(a_rounds), []
    for _ in range(resamples):
        picks = [rng.randrange(n) for _ in range(n)]
        boot.append(
            med([x for i in picks for x in b_rounds[i]])
            / med([x for i in picks for x in a_rounds[i]])
        )
    boot.sort()
    per_round = sorted(med(b) / med(a) for a, b in zip(a_rounds, b_rounds, strict=True))
    q1, _, q3 = statistics.quantiles(per_round, n=4)
    return ratio, boot[int(resamples * 0.025)], boot[int(resamples * 0.975) - 1], q1, q3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--old", help="the old checkout (a git worktree)")
    parser.add_argument("--size", type=int, default=10_000, help="cases in every database")
    parser.add_argument("--backlog", type=int, default=3000, help="open cases in the queue")
    parser.add_argument("--rounds", type=int, default=24)
    parser.add_argument("--calls", type=int, default=20, help="calls per side per round")
    parser.add_argument("--data-dir", default=str(ROOT / "instance" / "bench" / "checkout_ab"))
    parser.add_argument("--no-aa", action="store_true", help="skip the A/A copy")
    parser.add_argument(
        "--corpus",
        choices=("new", "own"),
        default="new",
        help="claims for the clustering data: both sides from the new "
        "checkout's starter corpus (same inputs), or each from its own",
    )
    args = parser.parse_args()
    args.corpus_file = None
    data = Path(args.data_dir) / args.corpus
    data.mkdir(parents=True, exist_ok=True)
    if args.corpus == "new":
        args.corpus_file = data / "corpus.json"
        subprocess.run(
            [
                sys.executable,
                str(WORKER),
                "--worker",
                str(ROOT),
                "--data-dir",
                str(args.corpus_file),
            ],
            cwd=ROOT,
            check=True,
        )
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        flush=True,
    )
    old = Side("old", Path(args.old).resolve(), data / "old", args)
    new = Side("new", ROOT, data / "new", args)
    ready = new.wait_ready()
    queue_ops, cluster_ops = ready["queue_ops"], ready["cluster_ops"]
    sides = [old, new]
    if not args.no_aa:  # a copy of the new side's databases, so nothing is built twice
        (data / "copy").mkdir(parents=True, exist_ok=True)
        for name in (f"queue-{args.size}.sqlite3", f"clu-{args.size}.sqlite3"):
            if not (data / "copy" / name).exists():
                # The backup API, not a file copy: committed pages may still be in the WAL.
                with (
                    sqlite3.connect(data / "new" / name) as src,
                    sqlite3.connect(data / "copy" / name) as dst,
                ):
                    src.backup(dst)
        sides.append(Side("copy", ROOT, data / "copy", args))
        sides[-1].wait_ready()
    old.wait_ready()
    if not args.rounds:  # --rounds 0: only build (or check) the databases
        for s in sides:
            s.close()
        return 0
    ops = (*queue_ops, *cluster_ops)
    cpu = {s.name: {op: [] for op in ops} for s in sides}
    info: dict = {s.name: {op: [0, 0] for op in ops} for s in sides}  # statements, joined
    for r in range(args.rounds):
        for op in ops:
            for s in sides[r % len(sides) :] + sides[: r % len(sides)]:
                result = s.run(op, args.calls)
                cpu[s.name][op].append([t * 1000 for t in result["cpu"]])
                info[s.name][op][0] = result["statements"]
                info[s.name][op][1] += result["joined"]
        print(f"  round {r + 1}/{args.rounds}, load {os.getloadavg()[0]:.1f}", flush=True)
    for s in sides:
        s.close()
    (data / f"cpu-{args.size}.json").write_text(json.dumps(cpu))  # per call, for re-reading
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print(
        f"{args.size:,} cases, {args.rounds} rounds of {args.calls} calls a side; CPU ms "
        "medians; ratio [95 % bootstrap over rounds] (round-wise quartiles)"
    )
    for op in ops:
        med = {n: statistics.median(sum(cpu[n][op], [])) for n in cpu}
        line = f"{op:14} old {med['old']:7.2f}  new {med['new']:7.2f}  new/old "
        r, lo, hi, q1, q3 = ratio_spread(cpu["old"][op], cpu["new"][op])
        line += f"{r:.3f} [{lo:.3f}-{hi:.3f}] ({q1:.2f}-{q3:.2f})"
        if "copy" in cpu:  # A/A: the same code twice; and the copy against old
            r, lo, hi, q1, q3 = ratio_spread(cpu["new"][op], cpu["copy"][op])
            line += f" | A/A {r:.3f} [{lo:.3f}-{hi:.3f}] ({q1:.2f}-{q3:.2f})"
            r, lo, hi, _, _ = ratio_spread(cpu["old"][op], cpu["copy"][op])
            line += f" | copy {med['copy']:.2f}, copy/old {r:.3f} [{lo:.3f}-{hi:.3f}]"
        stats = "  ".join(
            f"{n}: {info[n][op][0]:g} SQL"
            + (f", {info[n][op][1]} joined" if op in cluster_ops else "")
            for n in info
        )
        print(line + "\n" + " " * 16 + stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
