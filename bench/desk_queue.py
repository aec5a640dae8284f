"""First queue page and "claim next" p50 with 10 thousand and 1 million cases in the database.

Each database gets N synthetic cases (bench/queue_data.py): a fixed open backlog and the rest
history. A moderator of two desks then loads GET /staff/queue (counts, 50 rows, template)
and POSTs /staff/queue/claim-next through the Flask test client, many times; the claim is
released between runs (untimed) so every run claims the top of the same queue. Figures are
medians; the 1M/10k ratio compares sizes measured in the same run. Generated databases are
kept (SQLite files in --data-dir, PostgreSQL databases bench_queue_<N>) and reused.

    .venv/bin/python bench/desk_queue.py                                 # SQLite, 10k and 1M
    .venv/bin/python bench/desk_queue.py --engine postgresql             # PostgreSQL on localhost
    .venv/bin/python bench/desk_queue.py --sizes 10000 --runs 50         # quick check
"""

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This file is named queue.py: keep its folder off the path so the standard library's
# queue module (used by SQLAlchemy's pool) is the one imported.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import event, update  # noqa: E402

from bench.queue_data import count_cases, load, postgres_database  # noqa: E402
from intake import create_app  # noqa: E402
from intake.core.extensions import db  # noqa: E402
from intake.core.models import Case  # noqa: E402
from intake.core.schema import upgrade_schema  # noqa: E402
from intake.users import accounts as users  # noqa: E402

PASSWORD = "bench password, not secret"
DESKS = ["battery-safety", "vehicle-data"]
VIEWS = (("first queue page", "/staff/queue"),
         ("filtered page (band=P2, en)", "/staff/queue?band=P2&language=en"),
         ("overdue page", "/staff/queue?overdue=1"))


def database_url(engine: str, size: int, args) -> str:
    if engine == "sqlite":
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{Path(args.data_dir).resolve() / f'queue-{size}.sqlite3'}"
    name = f"bench_queue_{size}"
    return postgres_database(args.pg_url, name)


def _user(name: str, role: str):
    return users.find_user(name) or users.create_user(name, PASSWORD, role, DESKS,
                                                      actor="cli:bench")


def prepare(app, size: int, backlog: int, rebuild: bool) -> int:
    """Migrate, create the bench users, load the cases unless already there; return user id."""
    with app.app_context():
        upgrade_schema()
        moderator, other = _user("bench-mod", "moderator"), _user("bench-other", "moderator")
        db.session.commit()  # create_user only flushes; the bulk load below uses its own connection
        if rebuild or count_cases() != (size, backlog):
            started = time.perf_counter()
            print(f"loading {size:,} cases ({backlog:,} open) ...", flush=True)
            load(size, backlog, other.id)
            print(f"  loaded in {time.perf_counter() - started:.1f} s", flush=True)
        release_all(moderator.id)
        return moderator.id


def release_all(user_id: int) -> None:
    db.session.execute(update(Case).where(Case.claimed_by_id == user_id)
                       .values(claimed_by_id=None, claimed_until=None))
    db.session.commit()


def p50_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class Target:
    """One database under test: its app, a logged-in client and a SQL statement counter."""

    def __init__(self, app, user_id: int) -> None:
        self.app, self.user_id, self.statements = app, user_id, 0
        self.client = app.test_client()
        login = self.client.post("/staff/login",
                                 data={"username": "bench-mod", "password": PASSWORD})
        assert login.status_code == 303, login.status_code
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.statements += 1

    def timed(self, method: str, path: str, expected: int) -> float:
        self.statements, started = 0, time.perf_counter()
        response = getattr(self.client, method)(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == expected, (path, response.status_code)
        return elapsed


def measure(targets: dict, runs: int) -> dict:
    """Return {size: {what: (p50 ms, SQL statements per request)}}.

    Sizes take turns request by request, so load from other processes on the machine
    falls on every size alike and the ratio stays fair.
    """
    results: dict = {size: {} for size in targets}
    steps = [(label, "get", path, 200) for label, path in VIEWS]
    steps.append(("claim next", "post", "/staff/queue/claim-next", 303))
    for label, method, path, expected in steps:
        samples: dict = {size: [] for size in targets}
        for i in range(runs + 5):  # the first five warm caches and are dropped
            for size, target in targets.items():
                elapsed = target.timed(method, path, expected)
                if i >= 5:
                    samples[size].append(elapsed)
                if method == "post":
                    with target.app.app_context():
                        release_all(target.user_id)  # untimed: the next run claims the same
        for size, target in targets.items():
            results[size][label] = (p50_ms(samples[size]), target.statements)
    return results


def machine(engine: str, args) -> str:
    version = f"SQLite {sqlite3.sqlite_version}"
    if engine == "postgresql":
        with psycopg.connect(f"{args.pg_url}/postgres") as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            version = f"PostgreSQL {version}"
    return (f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}, {version}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated case counts")
    parser.add_argument("--backlog", type=int, default=3000, help="open cases in every size")
    parser.add_argument("--backlog-share", type=float, default=None,
                        help="open cases as a share of N instead of --backlog")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="regenerate the databases")
    parser.add_argument("--data-dir", default=str(ROOT / "instance" / "bench"))
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine(args.engine, args))
    targets, backlogs = {}, {}
    for size in sizes:
        backlogs[size] = (int(size * args.backlog_share) if args.backlog_share
                          else min(args.backlog, size))
        url = database_url(args.engine, size, args)
        app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False, "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False, "SCORING_ENABLED": False,
                          "LOG_LEVEL": "WARNING"}, instance_path=tempfile.mkdtemp())
        targets[size] = Target(app, prepare(app, size, backlogs[size], args.rebuild))
    table = measure(targets, args.runs)
    for size in sizes:
        for label, (ms, statements) in table[size].items():
            print(f"{args.engine:10} {size:>9,} cases ({backlogs[size]:,} open)  {label:28} "
                  f"p50 {ms:7.2f} ms  {statements} SQL statements", flush=True)
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        for label in table[small]:
            ratio = table[large][label][0] / table[small][label][0]
            print(f"{args.engine:10} {label:28} {large:,}/{small:,} ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
