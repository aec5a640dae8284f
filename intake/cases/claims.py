"""Claiming cases: claim, claim next, release. Exclusive under concurrency, audited.

Claiming puts a case under review (its reporters see that on the status page); releasing
it, or the claim running out, puts it back in the open queue. A claim is one conditional
UPDATE ("... WHERE id = ? AND nobody holds a live claim"): the database lets exactly one of
several concurrent claimants change the row, on SQLite (one writer at a time) and on
PostgreSQL (the WHERE is re-checked once the row lock is granted). Claim next walks the top
unclaimed candidates and makes the same conditional UPDATE on each until one succeeds, so
moderators racing for the top of a queue each get a different case.

The operations flush; the view commits (one case per transaction: a bulk claim commits each
case before the next, so two bulk claimers never wait on each other's row locks). A lost
race wrote nothing; the claimant's transaction then holds at most the SQLite write lock,
until its view ends the request a moment later.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update
from sqlalchemy import case as when

from intake.audit import trail as audit
from intake.cases.queue import ACTIVE, QueueFilter, live_claim, ranked_ids
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User
from intake.users.permissions import desks_for, may_work

CANDIDATES = 5  # claim next tries this many of the top cases per round
ROUNDS = 4


@dataclass(frozen=True)
class ClaimResult:
    """What a claim or release did: reason is one of claimed, renewed, released, taken,
    closed, missing, forbidden, own_decision (an appeal against the claimant's own decision),
    not_holder, empty (nothing left to claim)."""

    reason: str
    case_id: int | None = None
    holder: str | None = None  # who holds the case when someone else does
    until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.reason in ("claimed", "renewed", "released")


def _state(case_id: int):
    return db.session.execute(
        db.select(Case.id, Case.topic, Case.status, Case.claimed_by_id, Case.claimed_until,
                  Case.decided_by_id, User.username)
        .outerjoin(User, User.id == Case.claimed_by_id).where(Case.id == case_id)
    ).one_or_none()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _take(case_id: int, user: User, now: datetime) -> datetime | None:
    """Claim the case if nobody else holds a live claim; return the new expiry or None."""
    until = now + timedelta(minutes=current_app.config["CLAIM_MINUTES"])
    free = or_(Case.claimed_by_id.is_(None), Case.claimed_until < now,
               Case.claimed_by_id == user.id)
    taken = changed_rows(
        update(Case).where(Case.id == case_id, Case.status.in_(ACTIVE), free)
        .values(claimed_by_id=user.id, claimed_until=until, status=under_review()))
    return until if taken == 1 else None


def under_review():
    """The status of a case being claimed: under review, an appealed case stays appealed."""
    return when((Case.status == "appealed", "appealed"), else_="under_review")


def not_own_appeal(user: User):
    """Return the SQL condition "not an appeal against this user's own decision"."""
    return or_(Case.status != "appealed", Case.decided_by_id.is_(None),
               Case.decided_by_id != user.id)


def back_to_queue():
    """The status of a case whose claim ends: under review again open, anything else as is."""
    return when((Case.status == "under_review", "open"), else_=Case.status)


def _claimed(before, user: User, until: datetime, now: datetime, ip: str | None) -> ClaimResult:
    renewed = before.claimed_by_id == user.id and (before.claimed_until or now) >= now
    audit.record(user, "case.claim", "case", before.id, ip=ip,
                 before={"claimed_by": before.username,
                         "claimed_until": _iso(before.claimed_until)},
                 after={"claimed_by": user.username, "claimed_until": _iso(until)})
    db.session.flush()
    return ClaimResult("renewed" if renewed else "claimed", before.id, user.username, until)


def claim(case_id: int, user: User, *, ip: str | None = None) -> ClaimResult:
    """Claim a case for CLAIM_MINUTES (renew it when the user already holds it)."""
    now, before = utcnow(), _state(case_id)
    if before is None:
        return ClaimResult("missing", case_id)
    if not may_work(user, before.topic):
        return ClaimResult("forbidden", case_id)
    if before.status not in ACTIVE:
        return ClaimResult("closed", case_id)
    if before.status == "appealed" and before.decided_by_id == user.id:
        return ClaimResult("own_decision", case_id)
    until = _take(case_id, user, now)
    if until is None:
        after = _state(case_id)  # the winner's committed row (the UPDATE waited for it)
        if after.status not in ACTIVE:
            return ClaimResult("closed", case_id)
        return ClaimResult("taken", case_id, after.username, after.claimed_until)
    return _claimed(before, user, until, now, ip)


def claim_next(user: User, *, ip: str | None = None) -> ClaimResult:
    """Claim the top unclaimed case of the user's desks; reason "empty" if there is none."""
    desks = desks_for(user)
    for _round in range(ROUNDS):
        now = utcnow()
        unclaimed = or_(Case.claimed_by_id.is_(None), Case.claimed_until < now)
        candidates = ranked_ids(QueueFilter(desks=desks), [unclaimed, not_own_appeal(user)],
                                None, CANDIDATES)
        if not candidates:
            break
        for case_id, _priority in candidates:
            before = _state(case_id)
            if before is None or (before.claimed_by_id and before.claimed_until >= now):
                continue  # someone took it since the candidates were read
            until = _take(case_id, user, now)
            if until is not None:
                return _claimed(before, user, until, now, ip)
    return ClaimResult("empty")


def release(case_id: int, user: User, *, ip: str | None = None) -> ClaimResult:
    """Give a claimed case back to the queue; only its holder may."""
    now, before = utcnow(), _state(case_id)
    if before is None:
        return ClaimResult("missing", case_id)
    if before.claimed_by_id != user.id and not may_work(user, before.topic):
        return ClaimResult("forbidden", case_id)  # another desk's case: not theirs to touch
    released = changed_rows(
        update(Case).where(and_(Case.id == case_id, Case.claimed_by_id == user.id))
        .values(claimed_by_id=None, claimed_until=None, status=back_to_queue()))
    if released != 1:
        return ClaimResult("not_holder", case_id, before.username if before.claimed_by_id
                           and before.claimed_until >= now else None)
    audit.record(user, "case.release", "case", case_id, ip=ip,
                 before={"claimed_by": user.username, "claimed_until": _iso(before.claimed_until)},
                 after={"claimed_by": None, "claimed_until": None})
    db.session.flush()
    return ClaimResult("released", case_id)


__all__ = ["ClaimResult", "claim", "claim_next", "live_claim", "release"]
