"""Configuration: defaults, then instance/config.py, then environment variables."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intake.core.clock import parse_clock
from intake.core.defaults import ENV_KEYS, MIN_FORM_MEMORY, Defaults


def _coerce(value: str, kind):
    if kind == "bool":
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def load_config(app, overrides: dict | None = None) -> None:
    """Fill app.config from defaults, instance/config.py, environment, then overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    for key, kind in ENV_KEYS.items():
        if os.environ.get(key):
            app.config[key] = _coerce(os.environ[key], kind)
    app.config.from_prefixed_env("REPORTDESK")
    if overrides:
        app.config.update(overrides)
    _finish(app)


def _finish(app) -> None:
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'reportdesk.sqlite3'}"
    if url.startswith("postgres://"):  # the scheme Heroku-style URLs use
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not url.startswith("sqlite"):
        # A server-side database may drop idle connections; a local file cannot.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    production = app.config["APP_ENV"] == "production"
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = production
    _refuse_test_hashing(app.config, production)
    if app.config.get("HSTS_SECONDS") is None:
        app.config["HSTS_SECONDS"] = 365 * 24 * 3600 if production else 0
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # A Redis that hangs would hang every request: give up fast and fall back.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"socket_connect_timeout": 1, "socket_timeout": 1})
    if app.config["MAX_FORM_MEMORY_SIZE"] < MIN_FORM_MEMORY:
        raise RuntimeError(
            f"MAX_FORM_MEMORY_SIZE must be at least {MIN_FORM_MEMORY} bytes: below that the "
            "upload parser refuses ordinary photos. Raise it or leave the default.")
    _finish_clock(app)
    app.config.setdefault("UPLOAD_DIR", None)
    app.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"] or str(instance / "uploads")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(app, instance)
    if not app.config.get("CALLER_HASH_KEY"):
        # Derived, not equal: the hash key must never double as the session-signing key.
        app.config["CALLER_HASH_KEY"] = hmac.new(
            app.config["SECRET_KEY"].encode(), b"caller-hash", hashlib.sha256).hexdigest()


def _refuse_test_hashing(config, production: bool) -> None:
    if production and config["PASSWORD_HASH_METHOD"] != "scrypt":  # noqa: S105 - a method name
        raise RuntimeError("PASSWORD_HASH_METHOD must be scrypt in production: other methods "
                           "are for tests only. Remove the setting.")


def _finish_clock(app) -> None:
    config = app.config
    config["HOTLINE_TIMEZONE"] = config.get("HOTLINE_TIMEZONE") or config["TIMEZONE"]
    for key in ("TIMEZONE", "HOTLINE_TIMEZONE"):
        try:
            ZoneInfo(config[key])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RuntimeError(f"{key}={config[key]!r} is not an IANA time zone; "
                               "use a name like Asia/Shanghai.") from exc
    if config.get("CLOCK_NOW") and config["APP_ENV"] == "production":
        raise RuntimeError("CLOCK_NOW pins the clock for tests; unset it in production.")
    config["CLOCK_NOW"] = parse_clock(config.get("CLOCK_NOW"))


def _development_secret(app, instance: Path) -> str:
    if app.config["APP_ENV"] == "production":
        raise RuntimeError(
            "SECRET_KEY is not set. In production set the SECRET_KEY environment variable "
            "(or SECRET_KEY in instance/config.py) to a long random string, e.g. "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    # Generated once and kept so sessions survive restarts in development.
    path = instance / "secret_key"
    if not path.exists():
        try:
            with open(path, "x") as fh:
                fh.write(secrets.token_hex(32))
            path.chmod(0o600)
        except FileExistsError:
            pass  # another worker wrote it first
    return path.read_text().strip()
