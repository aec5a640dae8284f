"""The desk dashboard: SLA figures per desk and the audit trail browser."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The desk dashboard and the audit trail pages."""
    from intake.oversight import views

    app.register_blueprint(views.bp)
