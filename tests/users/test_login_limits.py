"""Login throttling per name and address, and the ways a staff session ends."""

import os
import re
import time
from datetime import timedelta

import pytest
from factories import PASSWORD

from intake.audit.models import AuditEvent
from intake.core.extensions import db, limiter
from intake.core.models import utcnow
from intake.users import accounts as users
from intake.users.auth import SEEN, SINCE
from intake.users.login_throttle import LoginThrottle
from intake.users.models import User

WRONG = "not the password at all"


@pytest.fixture
def throttled(app_factory):
    """A client of an app allowing 3 login attempts a minute (Redis when configured)."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage,
                      RATELIMIT_LOGIN="3 per minute")
    with app.app_context():
        limiter.reset()
    return app.test_client()


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def _post(client, name, password, address="10.0.0.1", language="en"):
    return client.post("/staff/login", data={"username": name, "password": password},
                       environ_base={"REMOTE_ADDR": address},
                       headers={"Accept-Language": language})


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Too many requests"), ("zh", "请求过于频繁"),
])
def test_login_attempts_are_rate_limited_per_address(app, throttled, make_user, language,
                                                     message):
    make_user("mona")
    for _ in range(3):
        assert _post(throttled, "mona", WRONG).status_code == 400
    refused = _post(throttled, "mona", PASSWORD, language=language)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert message in refused.get_data(as_text=True)
    assert "user.login" not in _actions(app)  # the right password did not get through
    assert throttled.get("/staff/login").status_code == 200  # reading the form is not limited
    assert _post(throttled, "mona", PASSWORD, address="10.0.0.2").status_code == 303


def _login_page(response) -> str:
    """The page without its CSRF token, to compare two answers."""
    return re.sub(r'value="[^"]{20,}"', "", response.get_data(as_text=True))


def test_failures_from_one_address_block_that_address_not_the_account(app, client, make_user):
    make_user("mona")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _post(client, "mona", WRONG, address="203.0.113.9").status_code == 400
    blocked = _post(client, "mona", PASSWORD, address="203.0.113.9")
    assert blocked.status_code == 400
    assert "try again after" in blocked.get_data(as_text=True)
    assert "user.login" not in _actions(app)  # the right password did not get through
    # Mona, at her own desk, signs in: an attacker cannot lock her out.
    assert _post(client, "mona", PASSWORD, address="10.0.2.1").status_code == 303
    assert {"user.login_blocked", "user.login_failed", "user.login"} <= set(_actions(app))


def test_a_blocked_name_answers_as_an_unknown_one(app, client, make_user):
    make_user("mona")
    for name in ("mona", "nobody"):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            _post(client, name, WRONG, address="203.0.113.9")
    known = _post(client, "mona", PASSWORD, address="203.0.113.9")
    unknown = _post(client, "nobody", PASSWORD, address="203.0.113.9")
    assert known.status_code == unknown.status_code == 400
    assert "try again after" in known.get_data(as_text=True)
    assert _login_page(known).replace("mona", "nobody") == _login_page(unknown)


def test_many_names_from_one_address_block_the_address(app, client, make_user):
    make_user("mona")
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        _post(client, f"guess{n}", WRONG, address="203.0.113.9")
    assert _post(client, "mona", PASSWORD, address="203.0.113.9").status_code == 400
    assert _post(client, "mona", PASSWORD, address="203.0.113.10").status_code == 303


def test_the_block_holds_across_workers(app_factory, make_user):
    # Counted in the database: two apps (two gunicorn workers) share the count.
    first, second = app_factory().test_client(), app_factory().test_client()
    make_user("mona")
    for n in range(app_factory().config["LOGIN_MAX_FAILURES"]):
        _post((first, second)[n % 2], "mona", WRONG)
    assert _post(first, "mona", PASSWORD).status_code == 400
    assert _post(second, "mona", PASSWORD).status_code == 400


def test_a_block_ends_by_itself(app, client, make_user):
    make_user("mona")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _post(client, "mona", WRONG)
    with app.app_context():
        rows = db.session.scalars(db.select(LoginThrottle)).all()
        assert any(row.blocked_until and row.blocked_until > utcnow() for row in rows)
        for row in rows:
            row.blocked_until = row.window_start = utcnow() - timedelta(hours=1)
        db.session.commit()
    assert _post(client, "mona", PASSWORD).status_code == 303


def test_success_clears_the_failure_count(app, client, make_user):
    make_user("mona")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _post(client, "mona", WRONG)
    assert _post(client, "mona", PASSWORD).status_code == 303
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        _post(client, "mona", WRONG)
    assert _post(client, "mona", PASSWORD).status_code == 303


def test_an_admin_lifts_a_block_from_the_command_line(app, client, make_user):
    make_user("mona")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _post(client, "mona", WRONG)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "unblock", "mona"])
    assert result.exit_code == 0 and "Lifted 1 sign-in block(s)." in result.output
    assert _post(client, "mona", PASSWORD).status_code == 303
    assert "user.login_unblocked" in _actions(app)
    assert runner.invoke(args=["users", "unblock"]).exit_code == 2
    result = runner.invoke(args=["users", "unblock", "--address", "10.0.0.1"])
    assert "Nothing was blocked." in result.output


def test_unknown_and_inactive_users_get_the_same_answer(app, client, make_user):
    make_user("mona")
    with app.app_context():
        users.deactivate(users.find_user("mona"), actor="cli:test")
        db.session.commit()
    inactive = _post(client, "mona", PASSWORD).get_data(as_text=True)
    unknown = _post(client, "nobody", PASSWORD).get_data(as_text=True)
    assert "The username or password is not right." in inactive
    assert "The username or password is not right." in unknown


@pytest.mark.parametrize(("key", "age", "reason"), [
    (SEEN, 61 * 60, "idle"),  # STAFF_IDLE_MINUTES = 60
    (SINCE, 9 * 3600, "expired"),  # PERMANENT_SESSION_LIFETIME = 8 h
])
def test_sessions_end_when_idle_or_too_old(app, client, make_user, key, age, reason):
    make_user("mona")
    _post(client, "mona", PASSWORD)
    with client.session_transaction() as session:
        session[key] = time.time() - age
    response = client.get("/staff/dashboard")
    assert response.status_code == 303 and f"reason={reason}" in response.headers["Location"]
    assert "user.session_expired" in _actions(app)
    again = client.get("/staff/")  # and it stays ended
    assert again.status_code == 303 and "/staff/login" in again.headers["Location"]


@pytest.mark.parametrize("change", ["deactivate", "reset_password"])
def test_account_changes_end_open_sessions(app, client, make_user, change):
    make_user("mona")
    _post(client, "mona", PASSWORD)
    assert client.get("/staff/queue").status_code == 200
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        if change == "deactivate":
            users.deactivate(user, actor="cli:test")
            db.session.commit()
        else:
            users.reset_password(user, "a brand new passphrase", actor="cli:test")
            db.session.commit()
    response = client.get("/staff/")
    assert response.status_code == 303 and "/staff/login" in response.headers["Location"]
