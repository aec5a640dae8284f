"""Report Desk: intake and triage of disinformation reports about connected vehicles."""

import logging
import os

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.appeals import views as appeal_views
from intake.audit.text import init_audit_text
from intake.cases import casework, desk_move_views, merging, moderation
from intake.cases import commands as case_commands
from intake.core import commands, jobs, system
from intake.core.clock import init_clock
from intake.core.config import load_config
from intake.core.extensions import babel, csrf, db, limiter, login_manager, migrate, select_locale
from intake.core.ids import init_ids
from intake.core.labels import init_labels
from intake.core.schema import MIGRATIONS, check_schema
from intake.core.sqlite_tuning import tune_sqlite
from intake.core.web import init_web
from intake.hotline import callback_views
from intake.hotline import commands as hotline_commands
from intake.hotline import views as hotline
from intake.matching import views as match_views
from intake.misuse import commands as reporter_commands
from intake.misuse import trust as misuse
from intake.misuse import views as misuse_views
from intake.notifications import commands as notification_commands
from intake.notifications import views as notification_views
from intake.oversight import views as oversight
from intake.partners import commands as partner_commands
from intake.publishing import public_views as debunk_views
from intake.publishing import views as publishing_views
from intake.reports import api, evidence_storage, evidence_views, public
from intake.search import views as search_views
from intake.transparency import commands as transparency_commands  # noqa: F401  (registers `flask reports transparency`)
from intake.transparency import views as transparency_views
from intake.triage import admin as model_admin
from intake.triage import explained
from intake.users import auth
from intake.users import commands as user_commands

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI, error pages."""
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("INSTANCE_PATH", os.path.join(ROOT, "instance")),
        template_folder=os.path.join(ROOT, "templates"),
    )
    load_config(app, overrides)
    misuse.check_config(app.config)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("intake").setLevel(app.config["LOG_LEVEL"])
    _warn_per_process_limits(app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents this wrapping
            app.wsgi_app, x_for=app.config["PROXY_COUNT"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          os.path.join(os.path.dirname(__file__), "translations"))

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        with app.app_context():
            tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    init_web(app)
    init_ids(app)
    explained.init_app(app)
    init_clock(app)
    init_labels(app)
    init_audit_text(app)

    for module in (public, api, system, auth, moderation, casework, evidence_views, merging,
                   oversight, hotline, model_admin, notification_views, callback_views, match_views,
                   debunk_views, publishing_views, appeal_views, transparency_views,
                   search_views, misuse_views, desk_move_views):
        app.register_blueprint(module.bp)
    commands.init_commands(app)
    for group in (user_commands.users_cli, case_commands.cases_cli,
                  hotline_commands.hotline_cli, hotline_commands.reports_cli, jobs.jobs_cli,
                  notification_commands.notifications_cli, partner_commands.partners_cli,
                  reporter_commands.reporters_cli):
        app.cli.add_command(group)

    # `flask db upgrade` must run on an old schema, so only servers check it.
    if app.config["SCHEMA_CHECK"] and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        with app.app_context():
            check_schema()
            evidence_storage.warn_if_not_shared(app.config["UPLOAD_DIR"])
    return app


def _warn_per_process_limits(app: Flask) -> None:
    # memory:// counts in each worker: with 2 workers a limit of 10 lets about 20 through.
    config = app.config
    if (config["APP_ENV"] == "production" and config["RATELIMIT_ENABLED"]
            and config["RATELIMIT_STORAGE_URI"].startswith("memory://")):
        logging.getLogger("intake").warning(
            "RATELIMIT_STORAGE_URI is memory://: every worker counts rate limits on its own, "
            "so with N workers a limit lets up to N times as many requests through. "
            "Set RATELIMIT_STORAGE_URI=redis://HOST:6379 in production.")
