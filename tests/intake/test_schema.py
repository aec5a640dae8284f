"""Database schema: servers refuse a schema left behind; `flask setup-db` brings it up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from intake import ROOT
from intake.extensions import db
from intake.models import Report
from intake.schema import MIGRATIONS, SchemaBehind, current_revision, head_revision

ON_SQLITE = not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def fresh_sqlite(tmp_path):
    """Overrides for an app on a new, empty SQLite file."""
    return {"DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3",
            "UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def cli_app(standalone_app, clean_env, tmp_path, fresh_sqlite):
    """The app as the `flask` command builds it: the start-up check is skipped."""
    clean_env.setenv("FLASK_RUN_FROM_CLI", "true")
    app = standalone_app(tmp_path / "cli", **fresh_sqlite)
    clean_env.delenv("FLASK_RUN_FROM_CLI")
    return app


@pytest.fixture
def flask_cli(cli_app):
    """Run `flask <args>` on cli_app through Flask's CLI runner."""
    runner = cli_app.test_cli_runner()

    def invoke(*args: str):
        # `flask` pushes an app context for every command; the test runner does not.
        with cli_app.app_context():
            return runner.invoke(args=list(args))

    return invoke


def test_an_empty_database_refuses_to_start(standalone_app, tmp_path, fresh_sqlite):
    with pytest.raises(SchemaBehind) as caught:
        standalone_app(tmp_path, **fresh_sqlite)

    message = str(caught.value)
    assert "flask --app wsgi db upgrade" in message
    assert "none (empty database)" in message
    assert head_revision() in message


def test_setup_db_lets_the_server_start(flask_cli, standalone_app, tmp_path, fresh_sqlite):
    result = flask_cli("setup-db")

    assert result.exit_code == 0, result.output
    assert "Database schema is up to date." in result.output
    app = standalone_app(tmp_path, **fresh_sqlite)  # no SchemaBehind now
    with app.app_context():
        assert current_revision() == head_revision()
    assert app.test_client().get("/healthz").get_json()["status"] == "ok"


def test_setup_db_is_safe_to_run_twice(flask_cli):
    results = [flask_cli("setup-db") for _ in range(2)]

    assert [r.exit_code for r in results] == [0, 0]


def test_a_database_one_migration_behind_refuses_to_start(cli_app, standalone_app, tmp_path,
                                                          fresh_sqlite):
    with cli_app.app_context():
        upgrade(directory=MIGRATIONS, revision="0001")

    with pytest.raises(SchemaBehind, match=r"at revision 0001 but .* needs " + head_revision()):
        standalone_app(tmp_path, **fresh_sqlite)


def test_check_db_fails_until_the_schema_is_current(flask_cli):
    behind = flask_cli("check-db")
    flask_cli("setup-db")
    current = flask_cli("check-db")

    assert behind.exit_code == 1
    assert "flask --app wsgi db upgrade" in behind.output
    assert (current.exit_code, current.output.strip()) == (0, "Database schema is up to date.")


def test_the_flask_command_sets_up_a_new_database(standalone_app, tmp_path, fresh_sqlite):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REPORTDESK_", "FLASK_"))}
    env.update(DATABASE_URL=fresh_sqlite["DATABASE_URL"], INSTANCE_PATH=str(tmp_path / "cli"))

    done = subprocess.run([Path(sys.executable).with_name("flask"), "--app", "wsgi", "setup-db"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "Database schema is up to date." in done.stdout
    standalone_app(tmp_path, **fresh_sqlite)  # starts: no SchemaBehind


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite connection settings")
@pytest.mark.parametrize(("pragma", "value"), [
    ("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 10000),
])
def test_sqlite_connections_are_configured(app, pragma, value):
    with app.app_context():
        assert db.session.execute(text(f"PRAGMA {pragma}")).scalar() == value


def test_foreign_keys_are_enforced(app):
    with app.app_context():
        db.session.add(Report(tracking_code="RD-0000-0000", case_id=987654, channel="web",
                              language="en", claim="A report about no case at all"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_migrations_build_the_schema_the_models_describe(app):
    # A model change without a migration (or a migration that differs from its model) shows
    # up here, on SQLite and on PostgreSQL, instead of in production.
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
