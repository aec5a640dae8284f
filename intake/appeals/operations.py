"""Appeals: a reporter appeals a decided case; a moderator other than its decider decides.

Filing puts the case back in the desk's queue as `appealed`, ranked with its own priority
component; the decision it appeals stands (and is shown) until the appeal is decided. Deciding
upholds that decision or reverses it to a new outcome; either way every reporter of the case
sees the result and consenting reporters are mailed. Operations flush; the view commits.
"""

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from intake.appeals.models import APPEAL_RESULTS, Appeal
from intake.audit import trail as audit
from intake.cases import priority
from intake.cases.decisions import MAX_PUBLIC_NOTE
from intake.core.clock import to_local
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import OUTCOMES, Case, Decision, Report, utcnow
from intake.hotline import callbacks
from intake.notifications import messages as notifications
from intake.publishing import operations as publishing
from intake.users.models import User


class AppealError(ValueError):
    """An appeal that cannot be filed or decided; kind says why, the message what to do."""

    def __init__(self, kind: str, message) -> None:
        super().__init__(message)
        self.kind = kind


def deadline(case: Case) -> datetime | None:
    """Return until when the case's decision may be appealed (None: nothing decided)."""
    if case.decided_at is None:
        return None
    return case.decided_at + timedelta(days=current_app.config["APPEAL_DAYS"])


def open_appeal(case_id: int) -> Appeal | None:
    """Return the case's appeal waiting for a decision, if any."""
    return db.session.scalars(db.select(Appeal).where(
        Appeal.case_id == case_id, Appeal.status == "open").limit(1)).first()


def latest_appeal(case_id: int) -> Appeal | None:
    """Return the case's newest appeal, open or decided."""
    return db.session.scalars(db.select(Appeal).where(Appeal.case_id == case_id)
                              .order_by(Appeal.id.desc()).limit(1)).first()


def appeals_of(case_id: int) -> list[Appeal]:
    """Return every appeal of the case, newest first (the case page's history)."""
    return list(db.session.scalars(db.select(Appeal).where(Appeal.case_id == case_id)
                                   .order_by(Appeal.id.desc())))


def _current_decision(case_id: int) -> Decision | None:
    return db.session.scalars(db.select(Decision).where(
        Decision.case_id == case_id, Decision.current.is_(True))
        .order_by(Decision.id.desc()).limit(1)).first()


def refusal(report: Report, now: datetime | None = None) -> AppealError | None:
    """Return why this report's case cannot be appealed now, or None when it can."""
    case, now = report.case, now or utcnow()
    if case.status == "appealed":
        return AppealError("open", _l("An appeal on this case is already open. A moderator who "
                                      "did not take the first decision will look at it; this "
                                      "page will show the result."))
    if case.status != "resolved" or case.decided_at is None:
        return AppealError("undecided", _l("This report has not been decided yet, so there is "
                                           "nothing to appeal. Once this page shows an outcome "
                                           "you can appeal it."))
    until = deadline(case)
    if until is not None and now > until:  # not None: decided_at was checked above
        return AppealError("expired", _l(
            "The time to appeal ended on %(date)s: a decision can be appealed for %(days)d "
            "days.", date=to_local(until).strftime("%Y-%m-%d"),
            days=current_app.config["APPEAL_DAYS"]))
    decision = _current_decision(case.id)
    repeated = decision is not None and db.session.scalar(db.select(Appeal.id).where(
        Appeal.report_id == report.id, Appeal.decision_id == decision.id).limit(1))
    if repeated:
        return AppealError("repeated", _l("You already appealed this decision and the appeal "
                                          "was decided; see the result on this page."))
    return None


def file_appeal(report: Report, reason: str, *, ip: str | None = None) -> Appeal:
    """Appeal the decision on the report's case; the case goes back to the queue."""
    reason = (reason or "").strip()
    limit = current_app.config["MAX_APPEAL_REASON"]
    if not reason:
        raise AppealError("reason", _l("Say why you disagree with the decision."))
    if len(reason) > limit:
        raise AppealError("reason", _l("Use at most %(n)d characters for the reason.", n=limit))
    problem = refusal(report)
    if problem:
        raise problem
    case, now, config = report.case, utcnow(), current_app.config
    before = {"status": case.status, "outcome": case.outcome, "priority": case.priority}
    score, parts, band = priority.with_appeal(case.priority_components or {}, 0.0,
                                              case.urgent, config)
    # Conditional: of two reporters appealing at once, one opens the appeal, the other is
    # told it is open.
    won = changed_rows(
        update(Case).where(Case.id == case.id, Case.status == "resolved").values(
            status="appealed", appealed_at=now, priority=score, priority_components=parts,
            band=band, sla_due_at=priority.due_at(now, band, config), claimed_by_id=None,
            claimed_until=None, updated_at=now)) == 1
    if not won:
        db.session.rollback()
        raise refusal(report) or AppealError("open", _l("The case changed meanwhile: reload "
                                                        "the page and try again."))
    decision = _current_decision(case.id)
    appeal = Appeal(case_id=case.id, report_id=report.id, reason=reason, created_at=now,
                    decision_id=decision.id if decision else None,
                    original_decider_id=case.decided_by_id, original_outcome=case.outcome)
    db.session.add(appeal)
    db.session.flush()
    audit.record(None, "case.appeal", "case", case.id, before,
                 {"status": "appealed", "outcome": case.outcome, "priority": score,
                  "band": band, "appeal_id": appeal.id, "report_id": report.id}, ip=ip)
    db.session.refresh(case)
    return appeal


def check_decider(appeal: Appeal, user: User) -> None:
    """Refuse the original decider: an appeal is decided by someone else (any admin may)."""
    if user.id == appeal.original_decider_id:
        raise AppealError("own_decision", _l(
            "You took the decision under appeal, so you cannot decide the appeal: another "
            "moderator of the desk or an admin decides it."))


def _clean(result: str, new_outcome: str | None, note: str | None,
           appeal: Appeal) -> tuple[str | None, str]:
    note = (note or "").strip()
    if result not in APPEAL_RESULTS:
        raise AppealError("input", _l("Choose whether the decision is upheld or reversed."))
    if not note:
        raise AppealError("input", _l("Write a public note: it tells the reporters why."))
    if len(note) > MAX_PUBLIC_NOTE:
        raise AppealError("input", _l("The public note is too long: use at most %(n)d "
                                      "characters.", n=MAX_PUBLIC_NOTE))
    if result == "upheld":
        return None, note
    if new_outcome not in OUTCOMES:
        raise AppealError("input", _l("Choose the new outcome of the reversed decision."))
    if new_outcome == appeal.original_outcome:
        raise AppealError("input", _l("The new outcome is the outcome appealed against: "
                                      "choose another one, or uphold the decision."))
    return new_outcome, note


def _why_not(case: Case, user: User) -> AppealError:
    db.session.refresh(case)
    if case.status != "appealed":
        return AppealError("closed", _l("The appeal on case %(id)d was decided meanwhile.",
                                        id=case.id))
    if case.claimed_by_id not in (None, user.id):
        return AppealError("claim", _l("Case %(id)d is claimed by someone else.", id=case.id))
    return AppealError("claim", _l("Claim case %(id)d before deciding its appeal.", id=case.id))


def decide_appeal(case: Case, user: User, result: str, new_outcome: str | None,
                  public_note: str | None, *, ip: str | None = None) -> Appeal:
    """Uphold or reverse the decision under appeal (a claim needed, admins excepted)."""
    appeal = open_appeal(case.id)
    if appeal is None:
        raise AppealError("closed", _l("Case %(id)d has no open appeal.", id=case.id))
    check_decider(appeal, user)
    new_outcome, note = _clean(result, new_outcome, public_note, appeal)
    now = utcnow()
    before = {"status": case.status, "outcome": case.outcome, "public_note": case.public_note,
              "decided_by_id": case.decided_by_id, "appeal_id": appeal.id}
    values: dict[str, Any] = {"status": "resolved", "claimed_by_id": None, "claimed_until": None,
              "appealed_at": None, "updated_at": now}
    if result == "reversed":
        values.update(outcome=new_outcome, public_note=note, public_note_en=None,
                      decided_at=now, decided_by_id=user.id)  # the appeal's note replaces both
    query = update(Case).where(Case.id == case.id, Case.status == "appealed")
    if user.role != "admin":
        query = query.where(Case.claimed_by_id == user.id, Case.claimed_until > now)
    if changed_rows(query.values(**values)) != 1:
        db.session.rollback()
        raise _why_not(case, user)
    if result == "reversed" and new_outcome is not None:  # _clean() requires one
        _record_reversal(case, user, appeal, new_outcome, note, now)
        publishing.withdraw_on_reopen(case, user, reason="decision reversed on appeal", ip=ip)
    db.session.execute(update(Appeal).where(Appeal.id == appeal.id).values(
        status="decided", result=result, new_outcome=new_outcome, public_note=note,
        decided_at=now, decided_by_id=user.id).execution_options(synchronize_session=False))
    audit.record(user, "appeal.decide", "case", case.id, before,
                 dict(before, status="resolved", result=result,
                      outcome=new_outcome or appeal.original_outcome,
                      public_note=note if result == "reversed" else case.public_note,
                      decided_by_id=user.id if result == "reversed" else case.decided_by_id),
                 ip=ip)
    db.session.refresh(case)
    db.session.refresh(appeal)
    notifications.queue_appeal_outcome(case, appeal)
    db.session.flush()
    return appeal


def _record_reversal(case: Case, user: User, appeal: Appeal, outcome: str, note: str,
                     now: datetime) -> None:
    """Make the new outcome the current decision (the training label) and call callers back."""
    old = db.session.get(Decision, appeal.decision_id) if appeal.decision_id else None
    db.session.execute(update(Decision).where(Decision.case_id == case.id, Decision.current)
                       .values(current=False).execution_options(synchronize_session=False))
    decision = Decision(
        case_id=case.id, decided_by_id=user.id, decided_at=now, outcome=outcome,
        final_topic=(old.final_topic if old else None) or case.topic or "off-topic",
        public_note=note, internal_note=f"appeal {appeal.id}: reversed",
        model_topic=old.model_topic if old else None,
        model_p_actionable=old.model_p_actionable if old else None,
        model_version=old.model_version if old else None)
    db.session.add(decision)
    callbacks.queue_callbacks(case, decision)
