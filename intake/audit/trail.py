"""Append-only audit trail: record state changes, browse them. Nothing here edits or deletes."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.users.models import User

# Who acted: a staff user, a command-line actor such as "cli:alice", or None (anonymous).
Actor = User | str | None


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; empty fields match everything. Dates are naive UTC."""

    actor: str | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, and the cursor for the next (older) page."""

    events: list[AuditEvent]
    older_than: int | None


def actor_name(actor: Actor) -> str:
    """Return the name an actor is recorded under."""
    if isinstance(actor, User):
        return actor.username
    return actor or "anonymous"


def record(
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the calling use case commits it with its change."""
    event = AuditEvent(
        actor_id=actor.id if isinstance(actor, User) else None,
        actor_name=actor_name(actor)[:80],
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:64],
        before=before,
        after=after,
        ip=ip[:45] if ip else None,
    )
    db.session.add(event)
    return event


def browse(filters: AuditFilter, *, older_than: int | None = None, limit: int = 50) -> AuditPage:
    """Return events matching the filters, newest first, keyset-paginated by id."""
    query = db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if older_than is not None:
        query = query.where(AuditEvent.id < older_than)
    if filters.actor:
        query = query.where(AuditEvent.actor_name == filters.actor)
    if filters.action:
        # "user" matches "user.login", "user.set_role", ...; "user.login" only itself.
        query = query.where(or_(AuditEvent.action == filters.action,
                                AuditEvent.action.startswith(filters.action + ".",
                                                             autoescape=True)))
    if filters.target_type:
        query = query.where(AuditEvent.target_type == filters.target_type)
    if filters.target_id:
        query = query.where(AuditEvent.target_id == filters.target_id)
    if filters.since:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.at < filters.until)
    events = list(db.session.scalars(query))
    more = len(events) > limit
    events = events[:limit]
    return AuditPage(events, events[-1].id if more else None)
