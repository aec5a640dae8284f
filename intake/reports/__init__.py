"""Public intake: the report form, the JSON API and its OpenAPI document, evidence,
tracking codes and the status lookup."""

import os

from flask import Flask


def init_app(app: Flask) -> None:
    """The public pages, the API, evidence files, the `shown_name` filter, the daily upload
    sweep and the evidence line of /healthz."""
    from intake.core.jobs import add_periodic
    from intake.core.system import add_health_part
    from intake.reports import api, evidence_storage, evidence_views, public, upload_sweep
    from intake.reports.evidence import shown_name

    for module in (public, api, evidence_views):
        app.register_blueprint(module.bp)
    app.jinja_env.filters["shown_name"] = shown_name
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        # Servers load the API schema (pydantic) now, not on their first API report;
        # `flask` commands never need it.
        import intake.reports.api_input  # noqa: F401
    add_periodic(app, upload_sweep.sweep_uploads, "JOBS_PURGE_SECONDS")

    def evidence() -> tuple[str, bool]:
        state = evidence_storage.state(app.config["UPLOAD_DIR"])
        return state, state != "ok"

    add_health_part(app, "evidence", evidence)
