"""The operators' side: the call screen, caller numbers, call-log import, call-backs,
read-back spelling, and `flask hotline`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The call screen, call-backs, `flask hotline`, `flask reports` and the contact purge job."""
    from intake.core.jobs import add_periodic
    from intake.hotline import callback_views, calls, commands, views

    for module in (views, callback_views):
        app.register_blueprint(module.bp)
    app.cli.add_command(commands.hotline_cli)
    app.cli.add_command(commands.reports_cli)
    add_periodic(app, calls.purge_contacts, "JOBS_PURGE_SECONDS")
