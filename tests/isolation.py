"""app_factory, and per-test isolation: a test's apps share one transaction, rolled back.

SQLAlchemy's "Joining a Session into an External Transaction (such as for test suites)":
the outer transaction begins before the test, every session of the test's apps joins it with
join_transaction_mode="create_savepoint", so the views' and services' `db.session.commit()`
releases a savepoint and the rollback at teardown leaves nothing to delete. On SQLite the
recipe of intake.core.sqlite_tuning emits BEGIN IMMEDIATE before the first SAVEPOINT, so the
savepoints nest inside one real transaction (a bare SAVEPOINT would open one that its
RELEASE commits).

Tests that need commits other connections can see (threads, subprocesses, gunicorn, their
own engine connections) are marked `commits`; their tables are emptied afterwards instead.
A test that commits for real without the mark fails at teardown (see RolledBackTransaction).
"""

import threading
from pathlib import Path

import pytest
from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from template_cache import share_compiled_templates

from intake import create_app
from intake.core.extensions import db

# scrypt costs 60-200 ms a hash; a suite that signs in thousands of times uses this instead
# (tests/core/test_config.py checks production refuses it).
FAST_HASH = "pbkdf2:sha256:1000"
KEY = "tests.rolled_back_transaction"  # app.extensions key of the test's shared transaction
# Whole folders that only work with real commits: gunicorn serves what the test wrote.
COMMITTING_FOLDERS = ("browser",)
# Tables no migration fills and nearly every test writes: counted after each rollback.
WATCHED = ("users", "reports", "cases", "audit_events")
LEFTOVERS = "SELECT " + " + ".join(f"(SELECT count(*) FROM {name})" for name in WATCHED)  # noqa: S608
MARK = "commits: commits for real (threads, processes, own connections); tables are emptied"


class RolledBackTransaction:
    """One connection in one transaction for every app of a test, rolled back at teardown.

    Every engine of the test's apps is watched: a real COMMIT on any of its connections
    (another connection, another thread) would outlive the rollback, so it is recorded and
    fails the test instead of leaking rows into the next one.
    """

    def __init__(self, engine: Engine) -> None:
        self.thread = threading.get_ident()
        self.commits: list[str] = []
        self.engines: list[Engine] = []
        self.watch(engine)
        self.connection = engine.connect()
        self.transaction = self.connection.begin()

    def watch(self, engine: Engine) -> None:
        """Record real commits on this engine's connections while the test runs."""
        if engine not in self.engines:
            event.listen(engine, "commit", self._committed)
            self.engines.append(engine)

    def _committed(self, connection: Connection) -> None:
        self.commits.append(f"COMMIT on {connection.engine.url.render_as_string()}")

    def bind(self) -> Connection:
        """The shared connection; only the test's thread may use it (it is not thread-safe)."""
        if threading.get_ident() != self.thread:
            raise RuntimeError("a thread used the test's rolled-back connection: mark the "
                               "test @pytest.mark.commits")
        return self.connection

    def close(self) -> list[str]:
        """Roll everything back; return the real commits seen (none, if the test is right)."""
        try:
            self.transaction.rollback()
            # Commits the engine events cannot see (another process's): rows left behind.
            left = self.connection.scalar(text(LEFTOVERS))
            if left:
                self.commits.append(f"{left} rows left in {', '.join(WATCHED)}")
            self.connection.close()
        finally:
            for engine in self.engines:
                event.remove(engine, "commit", self._committed)
        return self.commits


class RoutedSession(FlaskSession):
    """Flask-SQLAlchemy's session, bound to the test's connection when its app has one.

    Flask-SQLAlchemy's get_bind picks the app's engine and ignores a session-wide bind, so
    the routing happens here, per app: apps a test builds by other means keep their engine.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # type: ignore[override]
        if bind is None and has_app_context():
            shared = current_app.extensions.get(KEY)
            if shared is not None:
                return shared.bind()
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARK)
    factory = db.session.session_factory
    factory.class_ = type("RoutedSession", (RoutedSession,), {})
    # Only acts when a session joins a Connection already in a transaction: ours.
    factory.kw["join_transaction_mode"] = "create_savepoint"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    folders = [Path(__file__).parent / name for name in COMMITTING_FOLDERS]
    for item in items:
        if any(Path(item.path).is_relative_to(folder) for folder in folders):
            item.add_marker(pytest.mark.commits)


@pytest.fixture
def app_factory(database_url, tmp_path, request):
    """Build apps on the test database, sharing one transaction rolled back after the test.

    Tests marked `commits` (or in COMMITTING_FOLDERS) commit for real and have every table
    emptied afterwards instead; so does a test that committed without the mark, and fails.
    """
    committing = request.node.get_closest_marker("commits") is not None
    made, shared = [], None

    def build(**overrides):
        nonlocal shared
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "SCORING_ENABLED": False,
            "PASSWORD_HASH_METHOD": FAST_HASH,
        }
        if shared is not None:
            # The first app checked the schema; another app's check, on its own connection,
            # would wait for the write lock the test's SQLite transaction holds.
            config["SCHEMA_CHECK"] = False
        config.update(overrides)
        app = create_app(config, instance_path=str(tmp_path / "instance"))
        share_compiled_templates(app)
        made.append(app)
        if not committing and config["DATABASE_URL"] == database_url:
            shared = share_transaction(app, shared)
        return app

    yield build
    leaked = shared.close() if shared is not None else []
    for app in made[:1]:
        if committing or leaked:
            with app.app_context():
                db.session.remove()
                with db.engine.begin() as conn:
                    empty_tables(conn)
    for app in made:
        with app.app_context():
            db.engine.dispose()
    if leaked:
        pytest.fail(f"{request.node.nodeid} committed outside its rolled-back transaction "
                    f"({leaked[0]}): mark it @pytest.mark.commits", pytrace=False)


def share_transaction(app, shared: RolledBackTransaction | None) -> RolledBackTransaction:
    """Route the app's sessions to the test's transaction, beginning it for the first app."""
    with app.app_context():
        if shared is None:
            shared = RolledBackTransaction(db.engine)
        else:
            shared.watch(db.engine)
    app.extensions[KEY] = shared
    return shared


def empty_tables(conn: Connection) -> None:
    """Delete every row; the append-only audit trail needs its guard stepped around."""
    audit = db.metadata.tables["audit_events"]
    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE audit_events"))  # the only bypass of its trigger
    else:
        # SQLite has no TRUNCATE: drop the guard triggers and put the same ones back.
        triggers = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_events'")).all()
        for name, _sql in triggers:
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        conn.execute(audit.delete())
        for _name, sql in triggers:
            conn.execute(text(sql))
    for table in reversed(db.metadata.sorted_tables):
        if table is not audit:
            conn.execute(table.delete())
