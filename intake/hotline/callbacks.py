"""Hotline call-backs: callers who asked for one are rung back with the verdict."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from intake.audit import trail as audit
from intake.cases.public_notes import any_note
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.notifications.models import Callback
from intake.users.models import User


class CallbackError(ValueError):
    """A call-back that cannot be marked done; the message says why."""


@dataclass(frozen=True)
class Due:
    """One call to make: the call-back and the report (with the caller's number)."""

    callback: Callback
    report: Report


def queue_callbacks(case: Case, decision: Decision) -> int:
    """Add a call-back for every consenting hotline caller of the case; return how many."""
    reports = db.session.scalars(db.select(Report.id).where(
        Report.case_id == case.id, Report.channel == "hotline",
        Report.contact_consent.is_(True), Report.contact_phone.is_not(None)))
    rows = [Callback(report_id=report_id, outcome=decision.outcome,
                     public_note=any_note(decision.public_note, decision.public_note_en))
            for report_id in reports]
    db.session.add_all(rows)
    return len(rows)


def due(limit: int = 200) -> list[Due]:
    """Return the call-backs not done yet, oldest first."""
    rows = db.session.execute(
        db.select(Callback, Report).join(Report, Report.id == Callback.report_id)
        .where(Callback.done_at.is_(None)).order_by(Callback.created_at, Callback.id)
        .limit(limit)).all()
    return [Due(callback, report) for callback, report in rows]


def mark_done(code: str, user: User, *, ip: str | None = None) -> int:
    """Mark the open call-backs of a report done (audited); return how many."""
    report_id = db.session.scalar(db.select(Report.id).where(Report.tracking_code == code))
    now = utcnow()
    # Conditional: two operators pressing "done" at once record it once.
    ids = list(db.session.scalars(db.select(Callback.id).where(
        Callback.report_id == report_id, Callback.done_at.is_(None))))
    done = changed_rows(
        db.update(Callback).where(Callback.id.in_(ids), Callback.done_at.is_(None))
        .values(done_at=now, done_by_id=user.id)) if ids else 0
    if not done:  # nothing written: the view's transaction ends without a commit
        raise CallbackError(_l("There is no call-back waiting for report %(code)s: another "
                               "operator may have made it already.", code=code))
    # The number is never written to the audit trail, only the report and the verdict.
    audit.record(user, "callback.done", "report", report_id,
                 before={"callbacks_open": done}, after={"callbacks_open": 0}, ip=ip)
    db.session.flush()
    return done
