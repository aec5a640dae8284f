"""Reporters' mail: the outbox, SMTP delivery with retries, unsubscribe, the admin
outbox page, and `flask notifications`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The outbox page and unsubscribe, `flask notifications`, the delivery job (with a mail
    server) and the mail line of /healthz."""
    from intake.core.jobs import add_periodic
    from intake.core.system import add_health_part
    from intake.notifications import commands, delivery, views, worker

    app.register_blueprint(views.bp)
    app.cli.add_command(commands.notifications_cli)
    if app.config.get("MAIL_SERVER"):  # no server, no mail queued: nothing to deliver
        add_periodic(app, worker.deliver_mail, "JOBS_DELIVER_SECONDS")
    add_health_part(app, "mail", delivery.mail_health)
