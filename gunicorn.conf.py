"""gunicorn settings; every value can be overridden by an environment variable."""

import hashlib
import os
import tempfile

ROOT = os.path.dirname(os.path.abspath(__file__))


def _control_socket() -> str:
    """Return this deployment's control socket: in its instance folder, never a shared one."""
    # gunicorn's default ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl) is one path for every
    # instance of a user: a second server unlinked the first one's socket.
    instance = os.path.abspath(os.environ.get("INSTANCE_PATH") or os.path.join(ROOT, "instance"))
    path = os.path.join(instance, "gunicorn.ctl")
    if len(path.encode()) > 100:  # AF_UNIX socket paths end at about 107 bytes
        digest = hashlib.sha256(instance.encode()).hexdigest()[:16]
        path = os.path.join(tempfile.gettempdir(), f"reportdesk-{digest}.ctl")
    return path


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, not sync workers: a sync worker is held by one client trickling its headers, and
# two such clients stalled the whole default server (bench/slow_clients.py). A gthread
# worker parks idle connections in its poller and serves others from its other threads.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# More than one thread turns any worker class into gthread: sync keeps one, as asked.
threads = int(os.environ.get("GUNICORN_THREADS") or (4 if worker_class == "gthread" else 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = 50
# The app logs every request with its timing; set GUNICORN_ACCESSLOG=- for gunicorn's own.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or _control_socket()
wsgi_app = "wsgi:app"
# Uploads are read in full; refuse absurd header sizes early.
limit_request_field_size = 8190


def on_starting(server) -> None:
    """Upgrade the schema once in the master, before any worker imports the app."""
    from intake import create_app
    from intake.core.extensions import db
    from intake.core.schema import upgrade_schema

    app = create_app({"SCHEMA_CHECK": False})
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()  # workers must not inherit the master's connections
    server.log.info("database schema is up to date")


def post_worker_init(worker) -> None:
    """Load the model and clustering's weights before the worker takes requests: its first
    reports waited seconds for them."""
    from intake import warm_up

    warm_up(worker.wsgi)
