"""Staff sign-in and sign-out: password check behind the throttle, session versions."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from intake.audit import trail as audit
from intake.core.extensions import db
from intake.core.ids import parse_id
from intake.core.models import utcnow
from intake.users import login_throttle
from intake.users.accounts import MAX_PASSWORD, _iso, find_user
from intake.users.models import User


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user, or when sign-in opens again if blocked."""

    user: User | None
    blocked_until: datetime | None = None


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no such user, same work", method=method)


def load_session_user(session_id: str) -> User | None:
    """Return the user of a session id ("id:version") if the session is still valid."""
    raw_id, _sep, raw_version = session_id.partition(":")
    user_id, version = parse_id(raw_id), parse_id(raw_version)
    if user_id is None or version is None:
        return None
    # Desks come with the user: every staff page checks them (one statement, not two).
    user = db.session.get(User, user_id, options=[joinedload(User.desks)])
    if user is None or not user.is_active or user.session_version != version:
        return None
    return user


def authenticate(username: str, password: str, *, ip: str | None = None) -> LoginResult:
    """Check a sign-in; failures count per name and address (intake/users/login_throttle.py).

    Unknown, inactive and blocked names answer exactly as an existing one would.
    """
    user, now = find_user(username[:80]), utcnow()
    target = user.id if user else None
    until = login_throttle.blocked_until(username, ip, now)
    if until is not None:
        reason = "blocked"
    elif user is None or not user.is_active:
        # A miss costs as much as a hit.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        reason = "unknown user" if user is None else "inactive"
    elif not check_password_hash(user.password_hash, password[:MAX_PASSWORD]):
        reason = "wrong password"
    else:
        login_throttle.forget_failures(username, ip)
        before = {"last_login_at": _iso(user.last_login_at)}
        user.last_login_at = now
        audit.record(user, "user.login", "user", user.id, before, ip=ip)
        db.session.flush()
        return LoginResult(user)
    audit.record(None, "user.login_failed", "user", target, ip=ip,
                 after={"username": username[:40], "reason": reason})
    if until is None:
        until = login_throttle.record_failure(username, ip, now)
        if until is not None:
            audit.record(None, "user.login_blocked", "user", target, ip=ip,
                         after={"username": username[:40], "blocked_until": _iso(until)})
    db.session.flush()
    return LoginResult(None, until)


def log_out(user: User, *, reason: str = "logout", ip: str | None = None) -> None:
    """Record that a user's session ended; a logout ends every session of the user."""
    action = "user.logout" if reason == "logout" else "user.session_expired"
    after: dict = {"reason": reason}
    if reason == "logout":
        # Sessions live in signed cookies: a copy kept from before the logout would still
        # open every page. The new version makes all earlier cookies of this user void.
        user.session_version += 1
        after["session_version"] = user.session_version
    audit.record(user, action, "user", user.id, after=after, ip=ip)
    db.session.flush()
