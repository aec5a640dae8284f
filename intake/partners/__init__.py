"""Trusted partners: API keys, the bearer-key check, their trust in priority,
suspension, and `flask partners`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """`flask partners` (the API routes that take their keys belong to reports)."""
    from intake.partners import commands

    app.cli.add_command(commands.partners_cli)
