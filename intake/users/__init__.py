"""Staff accounts, sign-in and its throttling, roles and desks, and `flask users`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Sign-in pages and `flask users`."""
    from intake.users import auth, commands

    app.register_blueprint(auth.bp)
    app.cli.add_command(commands.users_cli)
