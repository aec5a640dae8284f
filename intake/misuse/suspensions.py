"""Suspending a reporter key for misuse, and lifting it (audited; the view or command commits).

A suspended reporter is never refused and never told: their reports are stored as usual,
marked "reporter suspended" on the case page, and a case only they (or suspended partners)
reported ranks last (intake/misuse/trust.py). Staff only ever see a key's short prefix; the CLI
takes a whole key or a prefix of at least MIN_PREFIX characters that names a single key.
"""

from dataclasses import dataclass

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case, Report, utcnow
from intake.misuse.models import ReporterSuspension
from intake.triage import scoring as triage
from intake.users.models import User

SHOWN = 10  # characters of a key shown to staff and kept in the audit trail
MIN_PREFIX = 8
MAX_REASON = 500


class SuspensionError(ValueError):
    """The suspension cannot be done; the message says why."""


@dataclass(frozen=True)
class Changed:
    """What a suspend or lift did."""

    key: str
    reranked: int


def shown(key: str) -> str:
    """The part of a reporter key staff may see."""
    return key[:SHOWN]


def resolve_key(given: str) -> str:
    """Return the one reporter key (of a report or a suspension) that `given` is or begins."""
    given = (given or "").strip().lower()
    if len(given) < MIN_PREFIX or not given.isalnum():
        raise SuspensionError(f"Give a reporter key or at least {MIN_PREFIX} of its first "
                              "characters (letters and digits, as the case page shows).")
    pattern = given + "%"
    found = set(db.session.scalars(db.select(Report.reporter_key).distinct()
                                   .where(Report.reporter_key.like(pattern)).limit(2)))
    found |= set(db.session.scalars(db.select(ReporterSuspension.reporter_key)
                                    .where(ReporterSuspension.reporter_key.like(pattern))))
    if not found:
        raise SuspensionError(f"No report has a reporter key starting {given!r}.")
    if len(found) > 1:
        raise SuspensionError(f"More than one reporter key starts {given!r}: give more of it.")
    return found.pop()


def find(key: str) -> ReporterSuspension | None:
    return db.session.scalars(db.select(ReporterSuspension)
                              .where(ReporterSuspension.reporter_key == key)).first()


def rerank(key: str) -> int:
    """Recompute the priority of the open cases the reporter reported in; return how many."""
    cases = db.session.scalars(db.select(Case).where(
        Case.status.in_(OPEN_STATUSES),
        Case.id.in_(db.select(Report.case_id).where(Report.reporter_key == key))))
    count = 0
    for case in cases:
        triage.refresh_case(case)
        count += 1
    return count


def suspend(key: str, reason: str, actor: Actor) -> Changed:
    """Suspend a reporter key (whole, already resolved) and re-rank their open cases."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise SuspensionError(f"Say why in the reason (1 to {MAX_REASON} characters).")
    if find(key) is not None:
        raise SuspensionError(f"Reporter {shown(key)}… is suspended already.")
    row = ReporterSuspension(reporter_key=key, reason=reason, suspended_at=utcnow(),
                             suspended_by_id=actor.id if isinstance(actor, User) else None)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "reporter.suspend", "reporter", shown(key),
                 after={"key_prefix": shown(key), "reason": reason})
    return Changed(key, rerank(key))


def lift(key: str, actor: Actor) -> Changed:
    """End a reporter key's suspension and re-rank their open cases."""
    row = find(key)
    if row is None:
        raise SuspensionError(f"Reporter {shown(key)}… is not suspended: nothing to lift.")
    db.session.delete(row)
    db.session.flush()
    audit.record(actor, "reporter.lift", "reporter", shown(key),
                 before={"key_prefix": shown(key), "reason": row.reason})
    return Changed(key, rerank(key))


def list_suspended() -> list[ReporterSuspension]:
    """Every suspended reporter key, most recent first."""
    return list(db.session.scalars(db.select(ReporterSuspension)
                                   .order_by(ReporterSuspension.suspended_at.desc(),
                                             ReporterSuspension.id.desc())))
