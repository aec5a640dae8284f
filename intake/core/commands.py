"""The root `flask` commands: setup-db and check-db (core/schema.py adds the `db` group), and
`run_unit`, how every command runs one operation as its unit of work."""

from collections.abc import Callable
from typing import TypeVar

import click
from flask import Flask
from flask.cli import with_appcontext

from intake.core.extensions import db
from intake.core.schema import SchemaBehind, check_schema, upgrade_schema

T = TypeVar("T")


def run_unit(action: Callable[[], T],
             refusal: type[Exception] | tuple[type[Exception], ...]) -> T:
    """Run ACTION and commit what it flushed; when it refuses (raises REFUSAL), roll back and
    exit with its message and status 1.

    Operations only flush: the command is the unit of work, so it commits (or rolls back)
    here, in one place for every command group.
    """
    try:
        result = action()
    except refusal as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    return result


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
