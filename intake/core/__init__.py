"""Cross-cutting foundations: configuration, extensions, the models, the clock, ids,
labels, links, schema upgrades, SQLite tuning, HTTP behaviour, jobs and the root CLI."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Extensions, the SQLite tuning, HTTP behaviour, ids, clock, labels, /healthz, the root
    CLI (setup-db, check-db, a lazy `db`) and `flask jobs`."""
    from flask_babel import get_locale

    from intake.core import commands, jobs, schema, system
    from intake.core.clock import init_clock
    from intake.core.extensions import babel, csrf, db, limiter, login_manager, select_locale
    from intake.core.ids import init_ids
    from intake.core.labels import init_labels
    from intake.core.sqlite_tuning import tune_sqlite
    from intake.core.web import init_web

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        with app.app_context():
            tune_sqlite(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    init_web(app)
    init_ids(app)
    init_clock(app)
    init_labels(app)
    app.register_blueprint(system.bp)
    commands.init_commands(app)
    schema.init_app(app)
    app.cli.add_command(jobs.jobs_cli)
