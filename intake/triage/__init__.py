"""The only importer of classifier/: scoring, the model registry, the quality gate,
training from decisions, the admin model page and `flask model`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The admin model pages, the case page's explanation helpers and `flask model`; the model
    line of /healthz."""
    from intake.core.system import add_health_part
    from intake.triage import admin, explained
    from intake.triage.commands import model_cli

    explained.init_app(app)
    app.register_blueprint(admin.bp)
    app.cli.add_command(model_cli)
    add_health_part(app, "model", admin.model_health)
