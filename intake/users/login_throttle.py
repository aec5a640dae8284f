"""Sign-in throttling kept in the database, so it holds across workers and hosts.

Failures count per (name typed, client address) and per client address. Nobody can lock an
account for everyone else, and a blocked name answers the same whether it exists or not.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, case, delete, func, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Mapped, mapped_column

from intake.core.extensions import Model, db


class LoginThrottle(Model):
    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


def _name(username: str) -> str:
    return username.strip().lower()[:80]


def _keys(username: str, ip: str | None) -> dict[str, int]:
    """Each counter's key and how many failures within the window block it."""
    address, config = ip or "unknown", current_app.config
    return {f"pair:{address}|{_name(username)}": config["LOGIN_MAX_FAILURES"],
            f"address:{address}": config["LOGIN_MAX_FAILURES_PER_ADDRESS"]}


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def blocked_until(username: str, ip: str | None, now: datetime) -> datetime | None:
    """Return when sign-in for this name from this address opens again, or None if open."""
    ends = db.session.scalars(select(LoginThrottle.blocked_until).where(
        LoginThrottle.key.in_(_keys(username, ip)), LoginThrottle.blocked_until > now))
    return max((end for end in ends if end is not None), default=None)


def record_failure(username: str, ip: str | None, now: datetime) -> datetime | None:
    """Count a failed sign-in; return when it opens again if this failure blocked it."""
    window_over = LoginThrottle.window_start <= now - _window()
    insert = sqlite.insert
    if db.session.get_bind().dialect.name == "postgresql":
        # Imported here: the dialect costs every `flask` command on SQLite ~5 % of its start.
        from sqlalchemy.dialects import postgresql

        insert = postgresql.insert  # type: ignore[assignment]  # same on_conflict_do_nothing
    for key, limit in _keys(username, ip).items():
        db.session.execute(insert(LoginThrottle).values(
            key=key, failures=0, window_start=now).on_conflict_do_nothing())
        # One UPDATE each, in SQL: parallel failures in other workers all count.
        failures = db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(
            failures=case((window_over, 1), else_=LoginThrottle.failures + 1),
            window_start=case((window_over, now), else_=LoginThrottle.window_start),
        ).returning(LoginThrottle.failures)).scalar_one()  # the row was inserted just above
        if failures >= limit:
            db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(
                failures=0, window_start=now, blocked_until=now + _window()))
    return blocked_until(username, ip, now)


def forget_failures(username: str, ip: str | None) -> None:
    """A successful sign-in clears its own name-and-address counter."""
    pair = next(iter(_keys(username, ip)))
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == pair))


def _lift(condition, now: datetime) -> int:
    """Delete the counters matching condition; return how many of them were blocking."""
    blocking = db.session.execute(select(func.count()).where(
        condition, LoginThrottle.blocked_until > now)).scalar_one()
    db.session.execute(delete(LoginThrottle).where(condition))
    return blocking


def unblock(username: str, now: datetime) -> int:
    """Lift every block on this name, from every address; return how many were lifted."""
    return _lift(LoginThrottle.key.startswith("pair:")
                 & LoginThrottle.key.endswith(f"|{_name(username)}", autoescape=True), now)


def unblock_address(ip: str, now: datetime) -> int:
    """Lift the block on a client address and on every name tried from it."""
    return _lift((LoginThrottle.key == f"address:{ip}")
                 | LoginThrottle.key.startswith(f"pair:{ip}|", autoescape=True), now)
