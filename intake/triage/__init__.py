"""The only importer of classifier/: scoring, the model registry, the quality gate,
training from decisions, the admin model page and `flask model`."""

import logging

from flask import Flask

log = logging.getLogger(__name__)


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


def warm_up(app: Flask) -> None:
    """Load the active model (a second or more); on failure the first report tries again."""
    if not app.config["SCORING_ENABLED"]:
        return
    from intake.triage.scoring import active_model  # scikit-learn: not for every command

    try:
        active_model(fresh=True)
    except Exception:  # e.g. the database is not reachable yet: load on first use
        log.exception(
            "could not load the active model at start; loading it on first use")
