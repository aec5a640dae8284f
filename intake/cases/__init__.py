"""Casework: the desk queues, claims, the case page, decisions, reopen, merging, SLA
and priority, and `flask cases`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The queue and case pages, merging, desk moves, `flask cases` and the claim-expiry and
    re-ranking job."""
    from intake.cases import casework, commands, desk_move_views, merging, moderation, sla
    from intake.core.jobs import add_periodic

    for module in (moderation, casework, merging, desk_move_views):
        app.register_blueprint(module.bp)
    app.cli.add_command(commands.cases_cli)
    add_periodic(app, sla.expire_and_reprioritise, "JOBS_REPRIORITISE_SECONDS")
