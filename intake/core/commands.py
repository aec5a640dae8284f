"""The root `flask` commands: setup-db and check-db (core/schema.py adds the `db` group)."""

import click
from flask import Flask
from flask.cli import with_appcontext

from intake.core.schema import SchemaBehind, check_schema, upgrade_schema


@click.command("setup-db")
@with_appcontext
def setup_db() -> None:
    """Create or upgrade the database to the newest schema."""
    upgrade_schema()
    click.echo("Database schema is up to date.")


@click.command("check-db")
@with_appcontext
def check_db() -> None:
    """Exit with an error when the database schema is behind the code."""
    try:
        check_schema()
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Database schema is up to date.")


def init_commands(app: Flask) -> None:
    app.cli.add_command(setup_db)
    app.cli.add_command(check_db)
