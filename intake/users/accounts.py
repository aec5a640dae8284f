"""Staff accounts: create, change role and desks, deactivate, reset passwords, log in and out."""

import re
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.models import utcnow
from intake.triage.scoring import TOPICS
from intake.users import login_throttle
from intake.users.models import ROLES, User, UserDesk

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MAX_PASSWORD = 1024  # hashing a megabyte "password" would be a cheap denial of service


class UserError(ValueError):
    """An account change that cannot be made; the message says why and what to do."""


def find_user(username: str) -> User | None:
    """Return the user with this name (case-insensitive), or None."""
    name = username.strip().lower()
    return db.session.scalars(db.select(User).where(User.username == name)).one_or_none()


def list_users() -> list[User]:
    """Return every user, by name."""
    return list(db.session.scalars(db.select(User).order_by(User.username)))


def desks_of(user: User) -> list[str]:
    """Return the topic keys of the desks the user belongs to."""
    return [desk.topic for desk in user.desks]


def unstaffed_desks() -> list[str]:
    """Return the desks no active moderator belongs to: their cases wait for an admin."""
    staffed = set(db.session.scalars(
        db.select(UserDesk.topic).join(User, User.id == UserDesk.user_id)
        .where(User.is_active, User.role == "moderator")))
    return [desk for desk in TOPICS if desk not in staffed]


def _username(name: str) -> str:
    name = name.strip().lower()
    if not USERNAME_RE.match(name):
        raise UserError(f"{name!r} is not a valid username: use 3-40 lowercase letters, "
                        "digits, '.', '_' or '-', starting with a letter or digit.")
    return name


def _role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    return role


def _desk(topic: str) -> str:
    if topic not in TOPICS:
        raise UserError(f"Unknown desk {topic!r}: choose one of {', '.join(TOPICS)}.")
    return topic


def _password_hash(password: str, username: str) -> str:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise UserError(f"The password is too short: use at least {minimum} characters.")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"The password is too long: use at most {MAX_PASSWORD} characters.")
    if username in password.lower():
        raise UserError("The password must not contain the username.")
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_new_user(username: str, role: str, desks: list[str] | tuple = ()
                   ) -> tuple[str, str, list[str]]:
    """Validate a new account's name, role and desks; return them normalised."""
    name, role = _username(username), _role(role)
    topics = sorted({_desk(topic) for topic in desks})
    if role == "moderator" and not topics:
        raise UserError("A moderator needs at least one desk: add --desk KEY.")
    if find_user(name) is not None:
        raise UserError(f"A user named {name!r} already exists.")
    return name, role, topics


def create_user(username: str, password: str, role: str, desks: list[str] | tuple = (),
                *, actor: Actor, ip: str | None = None) -> User:
    """Create an account with a role and desks (a moderator needs at least one desk)."""
    name, role, topics = check_new_user(username, role, desks)
    user = User(username=name, password_hash=_password_hash(password, name), role=role,
                desks=[UserDesk(topic=topic) for topic in topics])
    try:
        with db.session.begin_nested():  # a savepoint: the caller's transaction survives
            db.session.add(user)
    except IntegrityError as exc:  # created by someone else a moment ago
        raise UserError(f"A user named {name!r} already exists.") from exc
    audit.record(actor, "user.create", "user", user.id, ip=ip,
                 after={"username": name, "role": role, "desks": topics})
    db.session.flush()
    return user


def set_role(user: User, role: str, *, actor: Actor, ip: str | None = None) -> User:
    """Change a user's role."""
    role = _role(role)
    if role == user.role:
        raise UserError(f"{user.username} is already {role}.")
    if role == "moderator" and not user.desks:
        raise UserError(f"{user.username} has no desk; add one first with `flask users "
                        f"add-desk {user.username} DESK` to make them a moderator.")
    before = {"role": user.role}
    user.role = role
    audit.record(actor, "user.set_role", "user", user.id, before, {"role": role}, ip=ip)
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, actor: Actor, ip: str | None = None) -> User:
    """Deactivate (ending their sessions) or reactivate a user."""
    if user.is_active == active:
        raise UserError(f"{user.username} is already {'active' if active else 'inactive'}.")
    before = {"is_active": user.is_active}
    user.is_active = active
    if not active:
        user.session_version += 1
    action = "user.activate" if active else "user.deactivate"
    audit.record(actor, action, "user", user.id, before, {"is_active": active}, ip=ip)
    db.session.flush()
    return user


def deactivate(user: User, *, actor: Actor, ip: str | None = None) -> User:
    """Deactivate a user and end their sessions."""
    return set_active(user, False, actor=actor, ip=ip)


def reset_password(user: User, password: str, *, actor: Actor, ip: str | None = None) -> User:
    """Set a new password, lift every sign-in block on the name and end the user's sessions."""
    user.password_hash = _password_hash(password, user.username)
    user.session_version += 1
    login_throttle.unblock(user.username, utcnow())
    audit.record(actor, "user.reset_password", "user", user.id, ip=ip,
                 after={"session_version": user.session_version})
    db.session.flush()
    return user


def set_desk(user: User, topic: str, member: bool, *, actor: Actor,
             ip: str | None = None) -> User:
    """Add the user to a desk or remove them from it."""
    topic, before = _desk(topic), desks_of(user)
    if member == (topic in before):
        state = "already" if member else "not"
        raise UserError(f"{user.username} is {state} on the {topic} desk.")
    if not member and user.role == "moderator" and before == [topic]:
        raise UserError(f"{topic} is the only desk of moderator {user.username}; "
                        "a moderator needs at least one desk.")
    if member:
        user.desks.append(UserDesk(topic=topic))
    else:
        user.desks = [desk for desk in user.desks if desk.topic != topic]
    after = sorted(set(before) | {topic}) if member else [t for t in before if t != topic]
    audit.record(actor, "user.add_desk" if member else "user.remove_desk", "user", user.id,
                 {"desks": before}, {"desks": after}, ip=ip)
    db.session.flush()
    return user


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
