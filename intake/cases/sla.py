"""Keep the queue fair over time: waiting raises priority, stale claims expire."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.cases import claims
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.jobs import ACTOR as JOBS_ACTOR
from intake.core.models import OPEN_STATUSES, Case, utcnow
from intake.triage import scoring as triage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reprioritised:
    """What one run changed."""

    cases: int
    raised: int
    band_changes: int


def open_case_count() -> int:
    """Return how many cases are open (the length of a reprioritise run)."""
    query = db.select(db.func.count()).select_from(Case).where(Case.status.in_(OPEN_STATUSES))
    return db.session.scalar(query) or 0


def reprioritise_batches(*, actor: Actor, batch_size: int = 500) -> Iterator[Reprioritised]:
    """Recompute priority, band and SLA due time of every open case, batch by batch.

    Yields the running totals after each batch, flushed: the caller (the command's loop or
    the job runner) commits after each, so a long run never holds the write lock for the
    whole queue. The run's audit event is flushed after the last batch; the caller's final
    commit stores it.
    """
    after, cases, raised, bands = 0, 0, 0, 0
    while True:
        # Keyset over ids: each batch is one indexed range read, however long the queue.
        batch = list(db.session.scalars(
            db.select(Case).where(Case.status.in_(OPEN_STATUSES), Case.id > after)
            .order_by(Case.id).limit(batch_size)))
        if not batch:
            break
        for case in batch:
            before = (case.priority, case.band)
            triage.refresh_case(case, counted=True)  # waiting time changed, nothing else
            raised += (case.priority or 0) > (before[0] or 0)
            bands += case.band != before[1]
        db.session.flush()
        after, cases = batch[-1].id, cases + len(batch)
        yield Reprioritised(cases, raised, bands)
        db.session.expunge_all()  # keep memory flat over a million cases (committed by now)
    audit.record(actor, "queue.reprioritise", "queue",
                 after=Reprioritised(cases, raised, bands).__dict__)
    db.session.flush()


def expire_claims(*, actor: Actor) -> list[int]:
    """Release every claim whose time ran out; return the ids of the cases released."""
    now = utcnow()
    stale = db.session.execute(
        db.select(Case.id, Case.claimed_by_id, Case.claimed_until)
        .where(Case.claimed_by_id.is_not(None), Case.claimed_until < now)).all()
    released = []
    for case_id, user_id, until in stale:
        # Conditional: a moderator who renewed the claim meanwhile keeps it.
        changed = changed_rows(
            db.update(Case).where(Case.id == case_id, Case.claimed_by_id == user_id,
                                  Case.claimed_until < now)
            .values(claimed_by_id=None, claimed_until=None, status=claims.back_to_queue()))
        if changed:
            audit.record(actor, "case.claim_expired", "case", case_id,
                         before={"claimed_by_id": user_id,
                                 "claimed_until": until.isoformat(timespec="seconds")},
                         after={"claimed_by_id": None})
            released.append(case_id)
    db.session.flush()
    return released


def expire_and_reprioritise() -> Iterator[None]:
    """Release claims whose time ran out, then re-rank every open case (a periodic job).

    A generator: the job runner commits after the claims and after each batch.
    """
    released = expire_claims(actor=JOBS_ACTOR)
    yield
    result = Reprioritised(0, 0, 0)
    for step in reprioritise_batches(actor=JOBS_ACTOR):
        result = step
        yield
    log.info("released %d claim(s); recomputed %d case(s), %d rose",
             len(released), result.cases, result.raised)
