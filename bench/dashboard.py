"""Dashboard queries and `cases reprioritise` against a database of N cases.

Fills a fresh database (SQLite file, or the PostgreSQL database given with --database-url,
whose schema is dropped) with N cases arriving at --per-day a day (so 1M cases are years of
history while the last 14 days hold the same volume), times the dashboard's queries (admin:
every desk; moderator: two desks), then reprioritises --open-scored open cases with one
scored report each, twice (the first run counts each case in full, the second reads the
counters the first stored).

Run from the repository root:
  .venv/bin/python -m bench.dashboard --cases 10000 --cases 1000000
  .venv/bin/python -m bench.dashboard --database-url postgresql://postgres@127.0.0.1/NAME ...
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import timedelta

from bench.postgres import empty_postgres
from intake import create_app
from intake.cases import sla
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.core.schema import upgrade_schema
from intake.oversight import desk_stats
from intake.triage.scoring import TOPICS

BATCH = 20_000


def _fill(n: int, per_day: int, rng: random.Random) -> None:
    """N cases arriving at per_day a day, newest now: a long history, a steady recent window."""
    now = utcnow()
    for start in range(0, n, BATCH):
        cases = []
        for i in range(start, min(n, start + BATCH)):
            created = now - timedelta(days=i / per_day, minutes=rng.randrange(60))
            # Open: most of the last three days' cases and a stale 1 % of the older ones.
            is_open = rng.random() < (0.6 if i < 3 * per_day else 0.01)
            row = {"id": i + 1, "status": "open" if is_open else "resolved",
                   "topic": rng.choice(TOPICS), "created_at": created, "updated_at": created,
                   "report_count": 1, "priority": rng.uniform(0, 100), "band": "P3",
                   "sla_due_at": created + timedelta(hours=72)}
            if not is_open:
                row["decided_at"] = min(now, created + timedelta(minutes=rng.randrange(10, 4320)))
                row["outcome"] = "false"
            cases.append(row)
        db.session.execute(db.insert(Case), cases)
        db.session.commit()


def _time(fn, repeat: int = 7) -> float:
    fn()  # warm the caches once
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def _dashboard(scope) -> None:
    now = utcnow()
    rows = desk_stats.desk_figures(scope, now)
    desk_stats.total_figures(rows, scope, now)
    desk_stats.last_days(scope, now)


def _reprioritise(app, count: int) -> tuple[float, float]:
    now, start = utcnow(), 10_000_000
    db.session.execute(db.insert(Case), [
        {"id": start + i, "status": "open", "topic": "battery-safety", "report_count": 1,
         "created_at": now - timedelta(hours=i % 100), "updated_at": now}
        for i in range(count)])
    db.session.execute(db.insert(Report), [
        {"case_id": start + i, "tracking_code": f"BENCH{i:08d}", "channel": "web",
         "language": "en", "claim": "A parked EV caught fire by itself", "topic":
         "battery-safety", "p_actionable": 0.5, "scoring_status": "scored", "received_at": now}
        for i in range(count)])
    # Only the bench's own cases stay open, so the run's length is known.
    db.session.execute(db.update(Case).where(Case.id < start, Case.status == "open")
                       .values(status="resolved", decided_at=now))
    db.session.commit()
    rates = []
    # The first run counts every case in full (bulk-loaded cases have no counters yet); the
    # second is what the cron job does every 15 minutes: counters plus the time passed.
    for _run in range(2):
        started = time.perf_counter()
        result = sla.Reprioritised(0, 0, 0)
        for step in sla.reprioritise_batches(actor="cli:bench"):
            result = step
            db.session.commit()  # as the command does: one transaction a batch
        db.session.commit()
        elapsed = time.perf_counter() - started
        assert result.cases == count, result
        rates.append(count / elapsed)
    return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, action="append", required=True)
    parser.add_argument("--database-url", help="PostgreSQL URL (its schema is dropped)")
    parser.add_argument("--per-day", type=int, default=1000, help="new cases a day")
    parser.add_argument("--open-scored", type=int, default=5000)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")
    for n in args.cases:
        folder = tempfile.mkdtemp(prefix="bench-dashboard-")
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        empty_postgres(url)
        app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False,
                          "SCORING_ENABLED": False}, instance_path=folder)
        with app.app_context():
            upgrade_schema()
            started = time.perf_counter()
            _fill(n, args.per_day, random.Random(n))
            filled = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":
                # What autovacuum does soon after a bulk load: statistics and the visibility
                # map, without which index-only scans still visit the table.
                with db.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE cases")
            opened = sla.open_case_count()
            admin = _time(lambda: _dashboard(None))
            moderator = _time(lambda: _dashboard(["battery-safety", "vehicle-data"]))
            first, again = _reprioritise(app, args.open_scored)
            print(f"{db.engine.dialect.name:10} cases={n:>9,} (filled in {filled:.0f}s)  "
                  f"open={opened:,}  "
                  f"dashboard p50: admin {admin:.1f} ms, moderator {moderator:.1f} ms;  "
                  f"reprioritise {args.open_scored:,} open cases: {first:,.0f} cases/s first, "
                  f"{again:,.0f} cases/s again")
            db.engine.dispose()


if __name__ == "__main__":
    main()
