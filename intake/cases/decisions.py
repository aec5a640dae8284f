"""Decide cases (one or several at once) and reopen them; every decision is a training label.

The operations flush; the view commits. A decision is one conditional UPDATE: of two
concurrent deciders exactly one changes the row, the other raises DecisionError having
written nothing (its view rolls back, which also lets go of the SQLite write lock).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update

from intake.audit import trail as audit
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import OUTCOMES, Case, Decision, Report, utcnow
from intake.notifications import messages as notifications
from intake.publishing import operations as publishing
from intake.triage.scoring import TOPICS
from intake.users.models import User

# Open statuses a first decision is made in; an appealed case is decided as an appeal
# (intake/appeals/operations.py), by someone other than its decider.
DECIDABLE = ("open", "under_review")
MAX_PUBLIC_NOTE = 2000
MAX_INTERNAL_NOTE = 4000


class DecisionError(ValueError):
    """A decision or reopening that cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Suggestion:
    """What the model said about a case when it was decided."""

    topic: str | None
    p_actionable: float | None
    model_version: str | None


@dataclass(frozen=True)
class BulkResult:
    """The result of deciding one case of a bulk decision: the decision or why not."""

    case_id: int
    decision: Decision | None
    error: str | None = None


def suggestion_for(case: Case) -> Suggestion:
    """Return the model's topic, P(actionable) and version for a case from its scored reports."""
    # Two aggregates in one statement, in the database: a viral case has thousands of reports.
    scored = (Report.case_id == case.id, Report.scoring_status == "scored")
    topic = (db.select(Report.topic).where(*scored).group_by(Report.topic)
             .order_by(func.count().desc(), Report.topic).limit(1).scalar_subquery())
    top = (db.select(Report.p_actionable, Report.model_version).where(*scored)
           .order_by(func.coalesce(Report.p_actionable, 0.0).desc(), Report.id).limit(1)
           .subquery())
    row = db.session.execute(db.select(topic.label("topic"), top.c.p_actionable,
                                       top.c.model_version)).first()
    if row is None or row.topic is None:  # no scored report
        return Suggestion(None, None, None)
    return Suggestion(row.topic, row.p_actionable, row.model_version)


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _state(case: Case) -> dict:
    return {"status": case.status, "outcome": case.outcome, "public_note": case.public_note,
            "public_note_en": case.public_note_en, "claimed_by_id": case.claimed_by_id,
            "decided_by_id": case.decided_by_id,
            "decided_at": _iso(case.decided_at)}


def _clean(outcome: str, final_topic: str | None, public_note: str | None,
           internal_note: str | None) -> tuple[str | None, str | None]:
    if outcome not in OUTCOMES:
        raise DecisionError(_l("Choose an outcome: false, misleading, accurate, unverifiable "
                               "or spam."))
    if final_topic is not None and final_topic not in TOPICS:
        raise DecisionError(_l("Choose a final topic from the list."))
    public_note = (public_note or "").strip() or None
    internal_note = (internal_note or "").strip() or None
    if public_note and len(public_note) > MAX_PUBLIC_NOTE:
        raise DecisionError(_l("The public note is too long: use at most %(n)d characters.",
                               n=MAX_PUBLIC_NOTE))
    if internal_note and len(internal_note) > MAX_INTERNAL_NOTE:
        raise DecisionError(_l("The internal note is too long: use at most %(n)d characters.",
                               n=MAX_INTERNAL_NOTE))
    return public_note, internal_note


def _why_not(case: Case, user: User) -> DecisionError:
    db.session.refresh(case)
    if case.status == "resolved":
        return DecisionError(_l("Case %(id)d was already decided; reopen it to decide again.",
                                id=case.id))
    if case.status == "appealed":
        return DecisionError(_l("Case %(id)d is under appeal: decide the appeal on its page.",
                                id=case.id))
    if case.status not in DECIDABLE:
        return DecisionError(_l("Case %(id)d was merged into another case; decide that one.",
                                id=case.id))
    if case.claimed_by_id not in (None, user.id):
        return DecisionError(_l("Case %(id)d is claimed by someone else.", id=case.id))
    if case.claimed_by_id == user.id:
        return DecisionError(_l("Your claim on case %(id)d has expired: claim it again, "
                                "then decide.", id=case.id))
    return DecisionError(_l("Claim case %(id)d before deciding it.", id=case.id))


def decide(case: Case, user: User, outcome: str, final_topic: str | None = None,
           public_note: str | None = None, internal_note: str | None = None, *,
           ip: str | None = None, bulk: bool = False,
           public_note_en: str | None = None) -> Decision:
    """Record a decision on a case its decider holds the claim of (admins: any open case).

    public_note is the note in Chinese (or of no stated language), public_note_en in English.
    """
    public_note, internal_note = _clean(outcome, final_topic, public_note, internal_note)
    public_note_en, _ = _clean(outcome, final_topic, public_note_en, None)
    final_topic = final_topic or case.topic
    if final_topic is None:
        raise DecisionError(_l("Case %(id)d has no topic yet: choose the final topic on its "
                               "page.", id=case.id))
    before, suggestion, now = _state(case), suggestion_for(case), utcnow()
    # One conditional UPDATE decides the race: of two concurrent deciders exactly one
    # matches the row; the other changes nothing and learns why below.
    query = update(Case).where(Case.id == case.id, Case.status.in_(DECIDABLE))
    if user.role != "admin":
        query = query.where(Case.claimed_by_id == user.id, Case.claimed_until > now)
    values = {"status": "resolved", "outcome": outcome, "public_note": public_note,
              "public_note_en": public_note_en, "internal_note": internal_note,
              "decided_at": now, "decided_by_id": user.id,
              "claimed_by_id": None, "claimed_until": None, "updated_at": now}
    won = changed_rows(query.values(**values)) == 1
    if not won:
        raise _why_not(case, user)  # nothing written: the UPDATE matched no row
    db.session.execute(update(Decision).where(Decision.case_id == case.id, Decision.current)
                       .values(current=False).execution_options(synchronize_session=False))
    decision = Decision(
        case_id=case.id, decided_by_id=user.id, decided_at=now, outcome=outcome,
        final_topic=final_topic, public_note=public_note, public_note_en=public_note_en,
        internal_note=internal_note, model_topic=suggestion.topic,
        model_p_actionable=suggestion.p_actionable,
        model_version=suggestion.model_version)
    db.session.add(decision)
    after = dict(before, status="resolved", outcome=outcome, public_note=public_note,
                 public_note_en=public_note_en, claimed_by_id=None, decided_by_id=user.id,
                 decided_at=_iso(now),
                 final_topic=final_topic, model_topic=suggestion.topic, bulk=bulk)
    audit.record(user, "case.decide", "case", case.id, before, after, ip=ip)
    notifications.queue_decision(case, decision)  # the reporters' mail commits with it
    db.session.flush()
    db.session.refresh(case)
    return decision


def decide_each(case_ids: list[int], user: User, outcome: str,
                public_note: str | None = None, internal_note: str | None = None, *,
                may_decide=None, ip: str | None = None) -> Iterator[BulkResult]:
    """Decide each selected case on its own (each keeps its topic), yielding its result.

    The caller commits each decision (or rolls back a refusal) before the next: a case that
    cannot be decided never undoes another, and two bulk deciders never wait on each
    other's row locks. may_decide(case) lets the caller refuse cases (another desk).
    Bad input (DecisionError) refuses the whole batch before the first case.
    """
    _clean(outcome, None, public_note, internal_note)  # bad input refuses the whole batch
    return _decide_each(list(dict.fromkeys(case_ids)), user, outcome, public_note,
                        internal_note, may_decide, ip)


def _decide_each(case_ids, user, outcome, public_note, internal_note, may_decide,
                 ip) -> Iterator[BulkResult]:
    for case_id in case_ids:  # each case once, in the order given
        case = db.session.get(Case, case_id)
        refusal = None if case is None or may_decide is None else may_decide(case)
        if case is None or refusal:
            message = refusal or _l("Case %(id)d does not exist.", id=case_id)
            yield BulkResult(case_id, None, str(message))
            continue
        try:
            decision = decide(case, user, outcome, None, public_note, internal_note,
                              ip=ip, bulk=True)
        except DecisionError as exc:
            yield BulkResult(case_id, None, str(exc))
        else:
            yield BulkResult(case_id, decision)


def reopen(case: Case, user: User, *, reason: str | None = None, ip: str | None = None) -> Case:
    """Reopen a decided case: its decision stops being current and reporters see it reviewed."""
    before, now = _state(case), utcnow()
    query = update(Case).where(Case.id == case.id, Case.status == "resolved").values(
        status="open", outcome=None, public_note=None, public_note_en=None, internal_note=None,
        decided_at=None, decided_by_id=None, updated_at=now)
    if changed_rows(query) != 1:  # nothing written; the view rolls back
        raise DecisionError(_l("Case %(id)d is not decided, so it cannot be reopened.",
                               id=case.id))
    db.session.execute(update(Decision).where(Decision.case_id == case.id, Decision.current)
                       .values(current=False).execution_options(synchronize_session=False))
    audit.record(user, "case.reopen", "case", case.id, before,
                 dict(before, status="open", outcome=None, public_note=None,
                      public_note_en=None, decided_at=None, decided_by_id=None, reason=reason),
                 ip=ip)
    publishing.withdraw_on_reopen(case, user, ip=ip)  # its verdict no longer stands
    db.session.flush()
    db.session.refresh(case)
    return case
