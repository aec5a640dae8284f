"""Database schema upgrades and the start-up check that refuses a schema left behind."""

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from intake.core.extensions import db

MIGRATIONS = str(Path(__file__).parents[1] / "migrations")


class SchemaBehind(RuntimeError):
    """The database is not at the newest migration."""


@cache  # the migration scripts ship with the code: read them once per process
def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision() -> str | None:
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


def upgrade_schema() -> None:
    """Bring the database to the newest migration (needs an app context)."""
    upgrade(directory=MIGRATIONS)
