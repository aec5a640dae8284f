"""Report Desk: intake and triage of disinformation reports about connected vehicles."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from intake import (
    appeals,
    audit,
    cases,
    clustering,
    core,
    hotline,
    matching,
    misuse,
    notifications,
    oversight,
    partners,
    publishing,
    reports,
    search,
    transparency,
    triage,
    users,
)
from intake.core.config import load_config
from intake.core.extensions import db
from intake.core.routing import LazyBuilderRule

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Each package registers its own blueprints, CLI groups, jobs and hooks; core comes first
# (extensions), misuse early (it refuses a bad configuration before anything else is built).
PACKAGES = (core, misuse, reports, users, cases, oversight, hotline, triage, notifications,
            matching, publishing, appeals, transparency, search, partners, audit, clustering)


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the application: config, then every package's init_app, then the schema check."""
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("INSTANCE_PATH", os.path.join(ROOT, "instance")),
        template_folder=os.path.join(ROOT, "templates"),
    )
    app.url_rule_class = LazyBuilderRule  # before any blueprint adds a rule
    load_config(app, overrides)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("intake").setLevel(app.config["LOG_LEVEL"])
    _warn_per_process_limits(app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents this wrapping
            app.wsgi_app, x_for=app.config["PROXY_COUNT"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          os.path.join(os.path.dirname(__file__), "translations"))
    for package in PACKAGES:
        package.init_app(app)

    # `flask db upgrade` must run on an old schema, so only servers check it.
    if app.config["SCHEMA_CHECK"] and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        from intake.core.schema import check_schema
        from intake.reports.evidence_storage import warn_if_not_shared

        with app.app_context():
            check_schema()
            warn_if_not_shared(app.config["UPLOAD_DIR"])
    return app


def warm_up(app: Flask) -> None:
    """Build what a server process's first reports would wait for: a gunicorn worker calls
    this before it takes requests (gunicorn.conf.py)."""
    with app.app_context():
        try:
            clustering.warm_up()
            triage.warm_up(app)
        finally:
            db.session.remove()


def _warn_per_process_limits(app: Flask) -> None:
    # memory:// counts in each worker: with 2 workers a limit of 10 lets about 20 through.
    config = app.config
    if (config["APP_ENV"] == "production" and config["RATELIMIT_ENABLED"]
            and config["RATELIMIT_STORAGE_URI"].startswith("memory://")):
        logging.getLogger("intake").warning(
            "RATELIMIT_STORAGE_URI is memory://: every worker counts rate limits on its own, "
            "so with N workers a limit lets up to N times as many requests through. "
            "Set RATELIMIT_STORAGE_URI=redis://HOST:6379 in production.")
