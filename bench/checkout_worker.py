"""The worker process of bench/checkout_ab.py: one checkout's queue and clustering, timed.

Runs with that checkout's code first on sys.path and its own SQLite databases, built by its
own migrations and bench loaders; serves {"op": name, "k": calls} lines on stdin with the
CPU and wall times of each call (see checkout_ab.py for the driver and the figures).

    .venv/bin/python bench/checkout_worker.py --worker TREE --data-dir DIR --size N
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
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
    proto.write(json.dumps({"ready": sys.modules["intake"].__file__, "queue_ops": list(QUEUE_OPS),
                            "cluster_ops": list(CLUSTER_OPS)}) + "\n")
    proto.flush()
    for line in sys.stdin:
        command = json.loads(line)
        proto.write(json.dumps(worker.run(command["op"], command["k"])) + "\n")
        proto.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--worker", required=True, help="the checkout whose code runs here")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--backlog", type=int, default=3000)
    parser.add_argument("--corpus-file")
    args = parser.parse_args()
    worker_main(args.worker, args.data_dir, args.size, args.backlog, args.corpus_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
