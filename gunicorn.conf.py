"""gunicorn settings; every value can be overridden by an environment variable."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = 50
# The app logs every request with its timing; set GUNICORN_ACCESSLOG=- for gunicorn's own.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
wsgi_app = "wsgi:app"
# Uploads are read in full; refuse absurd header sizes early.
limit_request_field_size = 8190


def on_starting(server) -> None:
    """Upgrade the schema once in the master, before any worker imports the app."""
    from intake import create_app
    from intake.extensions import db
    from intake.schema import upgrade_schema

    app = create_app({"SCHEMA_CHECK": False})
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()  # workers must not inherit the master's connections
    server.log.info("database schema is up to date")
