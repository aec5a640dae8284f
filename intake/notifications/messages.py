"""Reporters' mail: render receipts and decisions into the outbox, in the same transaction."""

from datetime import timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from intake.audit import trail as audit
from intake.cases.public_notes import note_in
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.hotline import callbacks
from intake.notifications.models import OutboxMessage

# The same words the status page uses, so both say the same thing in both languages.
OUTCOME_LABELS = {
    "false": _l("False"), "misleading": _l("Misleading"), "accurate": _l("Accurate"),
    "unverifiable": _l("Could not be verified"), "spam": _l("Not a valid report"),
}


def mail_enabled() -> bool:
    """Return whether a mail server is configured (without one nothing is queued)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _mailable(report: Report) -> bool:
    return bool(report.contact_consent and report.contact_email)


def _link(endpoint: str, **values: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    # The address reporters reach, whatever host a request came in on (and without a
    # request, e.g. a command, the only address there is; without it a bare path).
    path = current_app.url_map.bind("reportdesk").build(endpoint, values)
    return (base or "").rstrip("/") + path


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="stop-mail")


def stop_token(code: str) -> str:
    """Return the token that lets whoever holds a report's mail stop further mail to it."""
    return str(_serializer().dumps(code))


def token_matches(code: str, token: str) -> bool:
    """Return whether a stop-mail token was made for this tracking code."""
    try:
        return _serializer().loads(token) == code
    except BadSignature:
        return False


def _message(kind: str, report: Report, language: str, **context) -> OutboxMessage:
    code = report.tracking_code
    context.update(code=code, status_url=_link("public.status", code=code),
                   stop_url=_link("notifications.stop_mail", code=code,
                                  token=stop_token(code)))
    with force_locale(language):
        subject = render_template(f"notifications/mail/{kind}_subject.txt", **context).strip()
        text = render_template(f"notifications/mail/{kind}.txt", **context)
        html = render_template(f"notifications/mail/{kind}.html", subject=subject, **context)
    return OutboxMessage(kind=kind, report_id=report.id, recipient=report.contact_email,
                         language=language, subject=subject[:300], body_text=text,
                         body_html=html, status="pending", next_attempt_at=utcnow())


def queue_receipt(report: Report) -> OutboxMessage | None:
    """Add the receipt mail of a new report to the session, if its reporter asked for mail."""
    if not (mail_enabled() and _mailable(report)):
        return None
    # The language the reporter used on the form; without a request, the claim's language.
    language = str(get_locale()) if has_request_context() else report.language
    message = _message("receipt", report, language if language in ("zh", "en") else "zh")
    db.session.add(message)
    return message


def _language_of(report: Report) -> str:
    # The reporter's language as their receipt recorded it; else the claim's language.
    earlier = db.session.scalars(
        db.select(OutboxMessage.language).where(OutboxMessage.report_id == report.id)
        .order_by(OutboxMessage.id).limit(1)).first()
    language = earlier or report.language
    return language if language in ("zh", "en") else "zh"


def _appeal_url(code: str) -> str:
    return _link("public.appeal", code=code)


def queue_decision(case: Case, decision: Decision) -> int:
    """Add a decision mail for every consenting reporter of the case; return how many.

    Hotline callers who asked for a call-back go on the operators' list in the same commit.
    """
    callbacks.queue_callbacks(case, decision)
    if not mail_enabled():
        return 0
    reports = db.session.scalars(db.select(Report).where(
        Report.case_id == case.id, Report.contact_consent.is_(True),
        Report.contact_email.is_not(None)).order_by(Report.id))
    count = 0
    for report in reports:
        language = _language_of(report)
        db.session.add(_message(
            "decision", report, language, outcome=decision.outcome,
            outcome_label=OUTCOME_LABELS.get(decision.outcome, decision.outcome),
            public_note=note_in(decision.public_note, decision.public_note_en, language),
            decided_at=decision.decided_at,
            model_involved=decision.model_p_actionable is not None,
            appeal_url=_appeal_url(report.tracking_code),
            appeal_days=current_app.config.get("APPEAL_DAYS")))
        count += 1
    return count


def queue_appeal_outcome(case: Case, appeal) -> int:
    """Add an appeal-outcome mail for every consenting reporter of the case; return how many."""
    if not mail_enabled():
        return 0
    reports = db.session.scalars(db.select(Report).where(
        Report.case_id == case.id, Report.contact_consent.is_(True),
        Report.contact_email.is_not(None)).order_by(Report.id))
    outcome = appeal.new_outcome or appeal.original_outcome
    count = 0
    for report in reports:
        db.session.add(_message(
            "appeal", report, _language_of(report), result=appeal.result,
            outcome_label=OUTCOME_LABELS.get(outcome, outcome),
            original_label=OUTCOME_LABELS.get(appeal.original_outcome, appeal.original_outcome),
            public_note=appeal.public_note, decided_at=appeal.decided_at))
        count += 1
    return count


def forget_recipients(older_than: timedelta) -> int:
    """Clear the addresses of mail written before now - older_than; unsent mail is cancelled."""
    cutoff = utcnow() - older_than
    old = (OutboxMessage.created_at < cutoff, OutboxMessage.recipient.is_not(None))
    db.session.execute(db.update(OutboxMessage).where(*old, OutboxMessage.status == "pending")
                       .values(status="cancelled").execution_options(synchronize_session=False))
    count = changed_rows(db.update(OutboxMessage).where(*old).values(recipient=None))
    db.session.flush()
    return count


def stop_mail(report: Report, *, ip: str | None = None) -> int:
    """Forget a report's email address and cancel its unsent mail; return mails cancelled."""
    cancelled = changed_rows(
        db.update(OutboxMessage).where(OutboxMessage.report_id == report.id,
                                       OutboxMessage.status == "pending")
        .values(status="cancelled", recipient=None))
    had_email = report.contact_email is not None
    report.contact_email = None
    audit.record(None, "report.stop_mail", "report", report.id,
                 before={"contact_email": had_email}, after={"contact_email": False,
                                                           "cancelled": cancelled}, ip=ip)
    db.session.flush()
    return cancelled
