"""SQLite transactions: writers begin IMMEDIATE and take turns; readers never hold the lock.

core/sqlite_tuning.py replaces a hand-made writer queue (a lock file) with SQLite's own
write lock and busy_timeout. The concurrency tests (test_clustering, test_claims,
test_decisions, test_idempotency) show the outcomes; these show the mechanism.
"""

import sqlite3
import threading

import pytest

from intake.core import sqlite_tuning
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.core.sqlite_tuning import begin_write

# It watches BEGIN IMMEDIATE and a second writer: both need real transactions.
pytestmark = pytest.mark.commits


@pytest.fixture
def sqlite_app(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite transaction control")
    return app


def _in_transaction() -> bool:
    return db.session.connection().connection.dbapi_connection.in_transaction


def test_reads_hold_no_lock_and_the_first_write_begins_immediate(sqlite_app):
    with sqlite_app.app_context():
        db.session.scalar(db.select(db.func.count()).select_from(Case))
        assert not _in_transaction()  # a page reading for long blocks no writer
        now = utcnow()
        db.session.add(Case(status="open", report_count=0, created_at=now, updated_at=now))
        db.session.flush()
        assert _in_transaction()
        db.session.rollback()
        assert not _in_transaction()


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_app):
    # busy_timeout: the second writer sleeps until the first commits, then sees its row.
    holding, seen = threading.Event(), []

    def second() -> None:
        with sqlite_app.app_context():
            holding.wait(5)
            begin_write(db.session.connection())
            seen.append(db.session.scalar(db.select(db.func.count()).select_from(Case)))
            db.session.rollback()

    other = threading.Thread(target=second)
    other.start()
    with sqlite_app.app_context():
        begin_write(db.session.connection())
        holding.set()
        other.join(0.5)
        assert other.is_alive()  # waiting for the write lock
        now = utcnow()
        db.session.add(Case(status="open", report_count=0, created_at=now, updated_at=now))
        db.session.commit()
    other.join(10)
    assert seen == [1]


def test_a_writer_gives_up_after_the_busy_timeout_and_keeps_its_settings(sqlite_app,
                                                                         monkeypatch):
    # The wait for the write lock polls (sqlite_tuning.begin_immediate); it must still end
    # with SQLite's own "database is locked" error, and leave busy_timeout as configured.
    monkeypatch.setattr(sqlite_tuning, "BUSY_TIMEOUT_MS", 200)
    with sqlite_app.app_context():
        path = db.engine.url.database
    holder, waiter = sqlite3.connect(path, isolation_level=None), sqlite3.connect(path)
    try:
        waiter.execute("PRAGMA busy_timeout=5000")
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            sqlite_tuning.begin_immediate(waiter)
        assert not waiter.in_transaction
        assert waiter.execute("PRAGMA busy_timeout").fetchone() == (200,)
        holder.rollback()
        sqlite_tuning.begin_immediate(waiter)  # free: taken at once
        assert waiter.in_transaction
    finally:
        holder.close()
        waiter.close()


def test_the_health_check_answers_while_a_writer_holds_the_lock(sqlite_app, monkeypatch):
    # /healthz reads; it must not queue for the write lock behind a long writer (a model
    # being promoted, an import) and report the database as down: a textual SELECT 1
    # counted as a write and did.
    monkeypatch.setattr(sqlite_tuning, "BUSY_TIMEOUT_MS", 500)
    with sqlite_app.app_context():
        path = db.engine.url.database
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        response = sqlite_app.test_client().get("/healthz")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["database"] == "ok"
    finally:
        holder.rollback()
        holder.close()
