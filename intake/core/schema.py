"""Database schema upgrades and the start-up check that refuses a schema left behind.

Alembic and Flask-Migrate load only when a schema is read or changed (about 0.2 s), so
`flask --help` and commands that never touch the schema start without them.
"""

from functools import cache
from pathlib import Path

import click
from flask import Flask, current_app

from intake.core.extensions import db

MIGRATIONS = str(Path(__file__).parents[1] / "migrations")


class SchemaBehind(RuntimeError):
    """The database is not at the newest migration."""


@cache  # the migration scripts ship with the code: read them once per process
def head_revision() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_schema() -> None:
    """Raise SchemaBehind, naming the command that fixes it, unless the schema is current."""
    current, head = current_revision(), head_revision()
    if current != head:
        raise SchemaBehind(
            f"The database schema is at revision {current or 'none (empty database)'} but this "
            f"version of Report Desk needs {head}. Run `flask --app wsgi db upgrade` "
            "(or `make migrate`) and start again."
        )


def bind_migrate(app: Flask) -> None:
    """Attach Flask-Migrate to the app (once): its functions and env.py read it from there."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        # Migrate also adds its `db` group to app.cli, in place of the _LazyDb stand-in.
        Migrate(app, db, directory=MIGRATIONS)


def upgrade_schema(revision: str = "head") -> None:
    """Bring the database to the newest migration, or to `revision` (needs an app context)."""
    from flask_migrate import upgrade

    bind_migrate(current_app._get_current_object())  # type: ignore[attr-defined]
    upgrade(directory=MIGRATIONS, revision=revision)


class _LazyDb(click.Command):
    """`flask db`: a stand-in that loads Flask-Migrate's group only when it runs."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra):
        from flask_migrate.cli import db as db_group

        bind_migrate(current_app._get_current_object())  # type: ignore[attr-defined]
        return db_group.make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    """Register `flask db` without importing Alembic until it is used."""
    app.cli.add_command(_LazyDb())
