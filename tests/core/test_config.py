"""Configuration: defaults, then instance/config.py, then environment, then overrides."""

import re
import stat

import pytest

from intake.core.schema import upgrade_schema
from intake.users import accounts

NO_CHECK = {"SCHEMA_CHECK": False}  # these tests never touch a database


@pytest.mark.parametrize("how", ["env", "instance", "override"])
def test_production_without_a_secret_key_refuses_to_start(standalone_app, clean_env, tmp_path,
                                                          how):
    overrides = dict(NO_CHECK)
    if how == "env":
        clean_env.setenv("APP_ENV", "production")
    elif how == "instance":
        tmp_path.mkdir(exist_ok=True)
        (tmp_path / "config.py").write_text('APP_ENV = "production"\n')
    else:
        overrides["APP_ENV"] = "production"

    with pytest.raises(RuntimeError, match=r"SECRET_KEY is not set\. In production set"):
        standalone_app(tmp_path, **overrides)
    assert not (tmp_path / "secret_key").exists()


def test_production_uses_the_secret_key_from_the_environment(standalone_app, clean_env,
                                                             tmp_path):
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("SECRET_KEY", "a-long-random-production-secret")

    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.secret_key == "a-long-random-production-secret"
    assert not (tmp_path / "secret_key").exists()


def test_development_generates_a_key_once_and_reuses_it(standalone_app, tmp_path):
    first = standalone_app(tmp_path, **NO_CHECK)
    second = standalone_app(tmp_path, **NO_CHECK)
    elsewhere = standalone_app(tmp_path / "other", **NO_CHECK)

    key_file = tmp_path / "secret_key"
    assert re.fullmatch(r"[0-9a-f]{64}", first.secret_key)
    assert key_file.read_text().strip() == first.secret_key == second.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert elsewhere.secret_key != first.secret_key


def test_a_session_survives_a_restart_in_development(standalone_app, tmp_path):
    first = standalone_app(tmp_path, **NO_CHECK)
    with first.test_request_context():
        from flask import session
        session["probe"] = "kept"
        cookie = first.session_interface.get_signing_serializer(first).dumps(dict(session))

    second = standalone_app(tmp_path, **NO_CHECK)

    assert second.session_interface.get_signing_serializer(second).loads(cookie) == {
        "probe": "kept"}


@pytest.mark.parametrize(("url", "engine_url"), [
    ("sqlite:////tmp/reportdesk-env.sqlite3", "sqlite:////tmp/reportdesk-env.sqlite3"),
    ("postgresql://desk@db.internal:5432/reportdesk",
     "postgresql+psycopg://desk@db.internal:5432/reportdesk"),
    ("postgres://desk@db.internal/reportdesk", "postgresql+psycopg://desk@db.internal/reportdesk"),
])
def test_database_url_from_the_environment_is_used(standalone_app, clean_env, tmp_path, url,
                                                   engine_url):
    clean_env.setenv("DATABASE_URL", url)

    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.config["SQLALCHEMY_DATABASE_URI"] == engine_url
    with app.app_context():
        from intake.core.extensions import db
        assert db.engine.url.render_as_string(hide_password=False) == engine_url


def test_without_database_url_sqlite_lives_in_the_instance_folder(standalone_app, tmp_path):
    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/reportdesk.sqlite3"
    assert app.config["UPLOAD_DIR"] == str(tmp_path / "uploads")


def test_instance_config_is_read(standalone_app, tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "from-instance"\n'
        'RATELIMIT_REPORT = "3 per minute"\n'
        "MAX_FILES = 2\n"
        f'UPLOAD_DIR = "{tmp_path}/evidence"\n'
    )

    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.secret_key == "from-instance"
    assert app.config["RATELIMIT_REPORT"] == "3 per minute"
    assert app.config["MAX_FILES"] == 2
    assert app.config["UPLOAD_DIR"] == f"{tmp_path}/evidence"
    assert not (tmp_path / "secret_key").exists()


def test_the_code_package_is_not_read_as_configuration(standalone_app, tmp_path):
    app = standalone_app(tmp_path, **NO_CHECK)

    assert "ENV_KEYS" not in app.config


def test_environment_beats_instance_config_and_overrides_beat_both(standalone_app, clean_env,
                                                                    tmp_path):
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "config.py").write_text('RATELIMIT_API = "7 per minute"\n'
                                        'RATELIMIT_STATUS = "8 per minute"\n')
    clean_env.setenv("RATELIMIT_API", "9 per minute")
    clean_env.setenv("RATELIMIT_STATUS", "10 per minute")

    app = standalone_app(tmp_path, RATELIMIT_STATUS="11 per minute", **NO_CHECK)

    assert app.config["RATELIMIT_API"] == "9 per minute"
    assert app.config["RATELIMIT_STATUS"] == "11 per minute"


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("RATELIMIT_ENABLED", "false", False),
    ("RATELIMIT_ENABLED", "yes", True),
    ("SCORING_ENABLED", "0", False),
    ("MAX_CONTENT_LENGTH", "1048576", 1048576),
    ("API_MAX_BODY", "2048", 2048),
    ("MODEL_CHECK_SECONDS", "0.5", 0.5),
    ("PROXY_COUNT", "1", 1),
])
def test_environment_values_are_typed(standalone_app, clean_env, tmp_path, name, value, expected):
    clean_env.setenv(name, value)

    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.config[name] == expected
    assert type(app.config[name]) is type(expected)


def test_prefixed_environment_sets_any_key(standalone_app, clean_env, tmp_path):
    clean_env.setenv("REPORTDESK_MAX_FILES", "1")
    clean_env.setenv("REPORTDESK_SCHEMA_CHECK", "false")

    app = standalone_app(tmp_path)

    assert (app.config["MAX_FILES"], app.config["SCHEMA_CHECK"]) == (1, False)


def test_defaults_are_safe(standalone_app, tmp_path):
    app = standalone_app(tmp_path, **NO_CHECK)

    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh"
    assert app.config["RATELIMIT_ENABLED"] is True
    assert app.config["MAX_FILE_BYTES"] == 5 * 1024 * 1024
    assert app.config["MAX_FILES"] == 3
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["PROXY_COUNT"] == 0


def test_production_refuses_a_fast_password_hash(standalone_app, tmp_path):
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD must be scrypt in production"):
        standalone_app(tmp_path, APP_ENV="production", SECRET_KEY="s" * 64,
                       PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", **NO_CHECK)


def test_staff_passwords_are_hashed_with_scrypt_unless_told_otherwise(standalone_app, tmp_path):
    app = standalone_app(tmp_path, **NO_CHECK)
    with app.app_context():
        upgrade_schema()
        user = accounts.create_user("mona", "correct horse battery", "moderator",
                                    ["battery-safety"], actor="cli:test")
        assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
        assert user.password_hash.startswith("scrypt:")
