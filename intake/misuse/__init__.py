"""Misuse of the channel: lower trust after repeated spam decisions, suspended reporter
keys, and `flask reporters`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Refuse a bad trust configuration, then the suspension pages and `flask reporters`."""
    from intake.misuse import commands, trust, views

    trust.check_config(app.config)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.reporters_cli)
