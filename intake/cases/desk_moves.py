"""Move a case to another desk without deciding it: the moderator corrects the routing.

The model's prediction stays where it is (each report's topic, the case's topic_counts);
the moved-to desk is kept in Case.desk_topic, which re-ranking respects and the training-set
builder reads as a topic label until a decision gives the final one.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from intake.audit import trail as audit
from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case, utcnow
from intake.triage import scoring as triage
from intake.users.models import User
from intake.users.permissions import may_work

MAX_REASON = 1000


class MoveError(ValueError):
    """A move that was refused; status is the HTTP status that says why."""

    def __init__(self, message, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class MoveResult:
    """What the move did: the desk left, and whether the claim had to be let go."""

    old_topic: str | None
    released: bool


def _check(case: Case, user: User, desk: str, reason: str) -> None:
    if desk not in triage.TOPICS:
        raise MoveError(_l("Unknown desk: choose one from the list."))
    if desk == case.topic:
        raise MoveError(_l("The case is already on this desk: choose another desk."))
    if not 5 <= len(reason) <= MAX_REASON:
        raise MoveError(_l("Say why the case moves, in 5 to %(max)d characters.",
                           max=MAX_REASON))
    if case.status not in OPEN_STATUSES:
        raise MoveError(_l("Case %(id)d is already decided or merged: reopen it to move it.",
                           id=case.id), 409)
    now = utcnow()
    held = case.claimed_by_id is not None and (case.claimed_until or now) >= now
    if held and case.claimed_by_id != user.id and user.role != "admin":
        raise MoveError(_l("Another moderator holds case %(id)d: only they or an admin may "
                           "move it.", id=case.id), 409)


def move_case(case: Case, user: User, desk: str, reason: str, *,
              ip: str | None = None) -> MoveResult:
    """Put the case on another desk, re-rank it and let go of a claim the holder can't keep.

    The case's first report time (created_at) is untouched, so its waiting time and SLA
    clock run on; only the desk-dependent parts of its priority change. The caller commits.
    """
    reason = (reason or "").strip()
    _check(case, user, desk, reason)
    holder = db.session.get(User, case.claimed_by_id) if case.claimed_by_id else None
    before: dict[str, Any] = {"topic": case.topic, "priority": case.priority, "band": case.band,
              "sla_due_at": case.sla_due_at.isoformat(timespec="seconds")
              if case.sla_due_at else None,
              "claimed_by": holder.username if holder else None}
    case.desk_topic = desk
    case.topic = desk
    triage.refresh_case(case)
    released = holder is not None and not may_work(holder, desk)
    if released:  # they could no longer open it: back to the new desk's queue
        case.claimed_by_id, case.claimed_until = None, None
        if case.status == "under_review":  # as claims.back_to_queue: an appeal stays one
            case.status = "open"
    after = {"topic": desk, "priority": case.priority, "band": case.band,
             "sla_due_at": case.sla_due_at.isoformat(timespec="seconds")
             if case.sla_due_at else None,
             "claimed_by": None if released else before["claimed_by"], "reason": reason}
    audit.record(user, "case.move_desk", "case", case.id, ip=ip, before=before, after=after)
    db.session.flush()
    return MoveResult(before["topic"], released)
