"""Synthetic cases for the queue bench, bulk-loaded (executemany on SQLite, COPY on PostgreSQL).

A database of N cases holds a fixed open backlog (the work moderators still have, bounded
by how fast they decide) and N minus that in history (resolved and merged cases), unless
--backlog-share asks for a share of N instead. Databases are kept and reused when they
already hold exactly the cases asked for.
"""

import random
from datetime import datetime, timedelta

import psycopg
from sqlalchemy import text

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.triage.scoring import TOPICS

COLUMNS = ("id", "status", "created_at", "updated_at", "topic", "priority", "band",
           "sla_due_at", "report_count", "reporter_count", "title", "channel", "language",
           "p_actionable", "urgent", "outcome", "decided_at", "claimed_by_id", "claimed_until")
BANDS = (("P1", 70, 4), ("P2", 50, 24), ("P3", 30, 72), ("P4", 0, 168))
CLAIMS = ("视频称某品牌电动车在地下车库充电时电池自燃",
          "A post says robotaxis were banned after a crash",
          "网传工信部发文：明年起禁止L3级自动驾驶车辆上路",
          "A carmaker sells in-car camera footage",
          "网传某新能源车企宣布破产，裁员三千人",
          "5G-V2X pilot roads knock out charging stations")


def postgres_database(pg_url: str, name: str) -> str:
    """Return the URL of PostgreSQL database `name` on the server at pg_url, creating it."""
    with psycopg.connect(f"{pg_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_url}/{name}"


def _band(priority: float) -> tuple[str, int]:
    for band, floor, hours in BANDS:
        if priority >= floor:
            return band, hours
    return "P4", 168


def rows(total: int, backlog: int, claimer_id: int, seed: int = 7):
    """Yield case tuples in COLUMNS order: the backlog spread over the newest ids."""
    rng, now = random.Random(seed), utcnow()
    first_open = total - backlog
    for case_id in range(1, total + 1):
        created = now - timedelta(days=720 * (total - case_id) / total, minutes=rng.random())
        status = "open" if case_id > first_open else rng.choice(("resolved",) * 9 + ("merged",))
        if status == "open" and rng.random() < 0.15:
            status = "under_review"
        unscored = rng.random() < 0.02
        priority = None if unscored else round(rng.random() * 100, 1)
        band, hours = _band(priority) if priority is not None else (None, 0)
        claimed = status == "open" and rng.random() < 0.01
        yield (
            case_id, status, created, created, None if unscored else rng.choice(TOPICS),
            priority, band, created + timedelta(hours=hours) if band else None,
            rng.choice((1, 1, 1, 2, 3, 8)), 1, f"{rng.choice(CLAIMS)} #{case_id}",
            rng.choice(("web", "web", "hotline", "api")), rng.choice(("zh", "zh", "en")),
            None if unscored else round(rng.random(), 3), False,
            "false" if status == "resolved" else None,
            created + timedelta(hours=5) if status == "resolved" else None,
            claimer_id if claimed else None, now + timedelta(days=3650) if claimed else None,
        )


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def load(total: int, backlog: int, claimer_id: int, progress=print) -> None:
    """Replace every case with total synthetic ones (needs an app context)."""
    engine = db.engine
    with engine.begin() as conn:
        conn.execute(Case.__table__.delete())
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY cases ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for done, row in enumerate(rows(total, backlog, claimer_id), 1):
                    copy.write_row(row)
                    if done % 200_000 == 0:
                        progress(f"  {done:,} cases")
        else:
            marks = ", ".join("?" * len(COLUMNS))
            sql = f"INSERT INTO cases ({', '.join(COLUMNS)}) VALUES ({marks})"
            for done, chunk in enumerate(_chunks(rows(total, backlog, claimer_id), 50_000), 1):
                cursor.executemany(sql, [_sqlite(r) for r in chunk])
                if done % 4 == 0:
                    progress(f"  {done * 50_000:,} cases")
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # ids were given: move the sequence on
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), :n)"),
                         {"n": total})
        conn.execute(text("ANALYZE"))


def _sqlite(row: tuple) -> tuple:
    # The exact text SQLAlchemy's SQLite DateTime writes, so comparisons stay textual-exact.
    return tuple(v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
                 for v in row)


def count_cases() -> tuple[int, int]:
    """Return how many cases the database holds, and how many of them are not decided."""
    total = db.session.scalar(db.select(db.func.count()).select_from(Case)) or 0
    backlog = db.session.scalar(db.select(db.func.count()).select_from(Case).where(
        Case.status.in_(("open", "under_review")))) or 0
    return total, backlog
