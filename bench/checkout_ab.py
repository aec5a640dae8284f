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
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
QUEUE_OPS = {
    "first page": ("get", "/staff/queue", 200),
    "filtered page": ("get", "/staff/queue?band=P2&language=en", 200),
    "overdue page": ("get", "/staff/queue?overdue=1", 200),
    "claim next": ("post", "/staff/queue/claim-next", 303),
}
CLUSTER_OPS = ("lookup", "attach")
QUERIES = 1000  # distinct new reports for lookup and attach, reused round-robin


class Worker:
    """Inside the worker process: one checkout's queue app and clustering app, timed."""

    def __init__(self, data_dir: Path, size: int, backlog: int, corpus: str | None) -> None:
        import bench.clustering as bc
        import bench.desk_queue as dq

        self.bc, self.dq = bc, dq
        data_dir.mkdir(parents=True, exist_ok=True)
        config = {
            "SCHEMA_CHECK": False,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SCORING_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
        self.queue_app = dq.create_app(
            {**config, "DATABASE_URL": f"sqlite:///{data_dir / f'queue-{size}.sqlite3'}"},
            instance_path=tempfile.mkdtemp(),
        )
        self.user_id = self._prepare_queue(size, min(backlog, size))
        self.target = dq.Target(self.queue_app, self.user_id)
        self.clu_app = bc.create_app(
            {**config, "DATABASE_URL": f"sqlite:///{data_dir / f'clu-{size}.sqlite3'}"},
            instance_path=tempfile.mkdtemp(),
        )
        self.specs = self._prepare_clustering(size, corpus)
        self.next = dict.fromkeys(CLUSTER_OPS, 0)
        self.statements = 0
        with self.clu_app.app_context():
            event.listen(bc.db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.statements += 1

    def _prepare_queue(self, size: int, backlog: int) -> int:
        # desk_queue.prepare, with the commit after the users that the old one lacks.
        dq = self.dq
        with self.queue_app.app_context():
            dq.upgrade_schema()
            moderator, other = (
                dq._user("bench-mod", "moderator"),
                dq._user("bench-other", "moderator"),
            )
            dq.db.session.commit()
            if dq.count_cases() != (size, backlog):
                dq.load(size, backlog, other.id)
            dq.release_all(moderator.id)
            return moderator.id

    def _prepare_clustering(self, size: int, corpus_file: str | None) -> list:
        bc = self.bc
        with self.clu_app.app_context():
            bc.upgrade_schema()
            count = bc.db.session.scalar(bc.db.select(bc.db.func.count()).select_from(bc.Case))
            # The loader draws its claims from the starter corpus, which grew from 800 to 6,646
            # texts after 4ee7831: given one corpus file, both sides store the same claims.
            corpus = (
                json.loads(Path(corpus_file).read_text())
                if corpus_file
                else bc.triage.reference_texts()
            )
            if count != size:
                assert not count, f"clustering database holds {count} cases, not {size}"
                bc.fill(size, random.Random(0), corpus)
            # Sampled from the stored cases whether just filled or reused: the same inputs
            # on every side whose loader stored the same claims.
            rng = random.Random(1)
            reports = bc._queries(bc._stored_samples(rng), corpus, rng, QUERIES)
            specs = [(r.claim, [u.url for u in r.urls]) for r in reports]
            bc.db.session.rollback()
            return specs

    def _report(self, spec: tuple[str, list[str]], i: int):
        bc, (claim, urls) = self.bc, spec
        report = bc.Report(
            claim=claim,
            explanation=None,
            channel="web",
            language="en",
            received_at=bc.utcnow(),
            tracking_code=bc.new_code(),
            scoring_status="unscored",
            reporter_key=f"k{i}",
            case=bc.Case(status="open", report_count=1, created_at=bc.utcnow()),
        )
        report.urls = [bc.ReportUrl(position=0, url=u, url_key=bc.url_key(u)) for u in urls]
        return report

    def run(self, op: str, k: int) -> dict:
        cpu, wall, statements, joined = [], [], [], 0
        for _ in range(k):
            if op in QUEUE_OPS:
                method, path, expected = QUEUE_OPS[op]
                self.target.statements = 0
                started, started_cpu = time.perf_counter(), time.process_time()
                response = getattr(self.target.client, method)(path)
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
                assert response.status_code == expected, (op, response.status_code)
                statements.append(self.target.statements)
                if method == "post":
                    with self.queue_app.app_context():
                        self.dq.release_all(self.user_id)  # untimed: the next claims the same
                continue
            i = self.next[op]
            self.next[op] += 1
            with self.clu_app.app_context():
                report = self._report(self.specs[i % len(self.specs)], i)
                fn = (
                    self.bc.attach
                    if op == "attach"
                    else (lambda r: self.bc.find_case(r, self.bc.signature_of(r)))
                )
                self.statements = 0
                started, started_cpu = time.perf_counter(), time.process_time()
                found = fn(report)
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
                statements.append(self.statements)
                joined += found is not None and getattr(found, "id", None) is not None
                self.bc.db.session.rollback()
        return {
            "cpu": cpu,
            "wall": wall,
            "statements": statistics.median(statements),
            "joined": joined,
        }


def worker_main(tree: str, data_dir: str, size: int, backlog: int, corpus: str | None) -> None:
    """Serve JSON commands on stdin: {"op": name, "k": calls}; anything else printed goes to
    stderr, so the bench loaders' progress lines cannot break the protocol."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, tree)
    proto, sys.stdout = sys.stdout, sys.stderr
    if data_dir.endswith(".json"):  # a file, not a folder: write this checkout's corpus
        import bench.clustering as bc

        Path(data_dir).write_text(json.dumps(bc.triage.reference_texts(), ensure_ascii=False))
        return
    worker = Worker(Path(data_dir), size, backlog, corpus)
    for op in (*QUEUE_OPS, *CLUSTER_OPS):  # warm caches, pools and templates
        worker.run(op, 5)
    proto.write(json.dumps({"ready": sys.modules["intake"].__file__}) + "\n")
    proto.flush()
    for line in sys.stdin:
        command = json.loads(line)
        proto.write(json.dumps(worker.run(command["op"], command["k"])) + "\n")
        proto.flush()


class Side:
    """In the driver: one worker process."""

    def __init__(self, name: str, tree: Path, data_dir: Path, args) -> None:
        self.name, self.tree = name, tree
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
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

    def wait_ready(self) -> None:
        line = self.proc.stdout.readline()
        assert line, f"{self.name} worker failed"
        code = Path(json.loads(line)["ready"]).resolve()
        assert code.is_relative_to(self.tree), (self.name, code)  # its own checkout's code

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
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker, args.data_dir, args.size, args.backlog, args.corpus_file)
        return 0
    data = Path(args.data_dir) / args.corpus
    data.mkdir(parents=True, exist_ok=True)
    if args.corpus == "new":
        args.corpus_file = data / "corpus.json"
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
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
    new.wait_ready()
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
    ops = (*QUEUE_OPS, *CLUSTER_OPS)
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
            + (f", {info[n][op][1]} joined" if op in CLUSTER_OPS else "")
            for n in info
        )
        print(line + "\n" + " " * 16 + stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
