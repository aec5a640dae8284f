"""Hotline calls: caller numbers (normalised, keyed hash, mask), logging a call, lookup, purge."""

import hashlib
import hmac
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.jobs import ACTOR as JOBS_ACTOR
from intake.core.models import Report, utcnow
from intake.notifications import messages as notifications
from intake.reports.operations import ReportInput, submit_batch
from intake.users.models import User

log = logging.getLogger(__name__)
_SEPARATORS = re.compile(r"[\s\-().\u00a0/]")
MAX_SUMMARY = 8000  # a transcript longer than this is cut by the operator, not by us
CLAIM_CHARS = 2000


class CallerNumberError(ValueError):
    """The text is not a phone number we can hash; the message says what to fix."""


@dataclass(frozen=True)
class Caller:
    """A caller number as stored: a keyed hash for lookup, a mask for display."""

    number: str  # normalised, e.g. +8613800138000; never stored unless consent
    hash: str
    masked: str


@dataclass
class Call:
    """What an operator logged about one call, or one row of a call-centre export."""

    number: str
    claim: str
    started_at: datetime | None = None
    language: str | None = None
    platform: str | None = None
    urls: list[str] | None = None
    explanation: str | None = None
    urgent: bool = False
    consent: bool = False
    notes: str | None = None
    call_id: str | None = None
    operator_id: int | None = None


def normalise_number(text: str | None, country_code: str | None = None) -> str:
    """Return a number as +<country><digits>, or raise CallerNumberError."""
    country = country_code or current_app.config["HOTLINE_COUNTRY_CODE"]
    # NFKC first: full-width １３８００１３８０００ must hash like 13800138000, or a lookup
    # typed on a Chinese keyboard finds nothing.
    raw = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        digits = raw[1:]
    elif country == "86" and len(raw) == 11 and raw.startswith("1"):
        digits = country + raw  # a Chinese mobile number without +86
    elif raw.startswith("0"):
        digits = country + raw[1:]  # a trunk prefix: 010 1234 5678 is +86 10 1234 5678
    else:
        digits = country + raw
    if not (digits.isascii() and digits.isdigit()) or not raw:
        raise CallerNumberError("use digits, spaces, dashes and an optional leading +")
    if not 7 <= len(digits) <= 15:
        raise CallerNumberError("a phone number has 5 to 15 digits")
    return "+" + digits


def caller(text: str) -> Caller:
    """Return the stored forms of a caller number (raises CallerNumberError)."""
    number = normalise_number(text)
    key = current_app.config["CALLER_HASH_KEY"].encode()
    digest = hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
    return Caller(number=number, hash=digest, masked=mask(number))


def mask(number: str) -> str:
    """Return the last four digits behind a fixed mask, e.g. ****8000."""
    return "****" + number[-4:]


def report_input(call: Call, who: Caller) -> ReportInput:
    """Return the intake fields of a call; the full number only as consented contact."""
    claim = call.claim.strip()
    explanation = call.explanation
    if len(claim) > CLAIM_CHARS:  # a long transcript: the start is the claim, all is kept
        claim, explanation = claim[:CLAIM_CHARS], "\n\n".join(
            part for part in (explanation, call.claim) if part)
    return ReportInput(
        claim=claim,
        explanation=explanation,
        urls=call.urls or [],
        platform=call.platform,
        seen_at=None,
        language=call.language,
        contact_phone=who.number if call.consent else None,
        contact_consent=call.consent,
        good_faith=True,
        call_id=call.call_id or f"op-{uuid.uuid4().hex}",
        call_started_at=call.started_at,
        caller_hash=who.hash,
        caller_masked=who.masked,
        reporter_key=who.hash,  # the same caller calling again is not a new reporter
        urgent=call.urgent,
        operator_id=call.operator_id,
        operator_notes=call.notes,
    )


def find_call(call_id: str) -> Report | None:
    """Return the report logged for a call id, if any."""
    return db.session.scalars(db.select(Report).where(Report.call_id == call_id)).first()


def find_report(code: str) -> Report | None:
    """Return the hotline report with this tracking code, if any."""
    return db.session.scalars(db.select(Report).where(
        Report.tracking_code == code, Report.channel == "hotline")).first()


def submit_call(call: Call, operator: User, *, ip: str | None = None) -> tuple[Report, bool]:
    """Log a call through the intake pipeline and audit it, flushed; return (report, is new).

    The call id makes a resubmitted form return the first report instead of a second one;
    the same form sent twice at once fails the second flush (IntegrityError): the view
    rolls back and finds the first with find_call.
    """
    if call.call_id and (earlier := find_call(call.call_id)):
        return earlier, False
    who = caller(call.number)
    call.operator_id = operator.id
    (report,) = submit_batch([report_input(call, who)], channel="hotline")
    audit.record(operator, "report.hotline_call", "report", report.id, ip=ip, after={
        "tracking_code": report.tracking_code, "call_id": report.call_id,
        "caller": who.masked, "urgent": report.urgent, "consent": report.contact_consent,
    })
    return report, True


def reports_by_caller(number: str, limit: int = 50) -> list[Report]:
    """Return earlier reports from the same caller number, newest first."""
    query = (db.select(Report).where(Report.caller_hash == caller(number).hash)
             .order_by(Report.received_at.desc(), Report.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def parse_age(text: str) -> timedelta:
    """Return the age in "180d", "26w" or "12h" as a timedelta (raises ValueError)."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([dwh])\s*", text or "")
    if not match:
        raise ValueError(f"{text!r} is not an age: write a number and d, w or h, e.g. 180d")
    value, unit = int(match[1]), match[2]
    return timedelta(**{{"d": "days", "w": "weeks", "h": "hours"}[unit]: value})


def purge_contact(older_than: timedelta, actor: Actor) -> int:
    """Remove contact details of reports received before now - older_than; return how many."""
    now = utcnow()
    cutoff = now - older_than
    ids = list(db.session.scalars(db.select(Report.id).where(
        Report.received_at < cutoff,
        or_(Report.contact_phone.is_not(None), Report.contact_email.is_not(None)),
    )))
    for start in range(0, len(ids), 1000):
        db.session.execute(update(Report).where(Report.id.in_(ids[start:start + 1000])).values(
            contact_phone=None, contact_email=None, contact_purged_at=now))
    audit.record(actor, "report.purge_contact", "report", None,
                 after={"reports": len(ids), "received_before": cutoff.isoformat()})
    db.session.flush()
    return len(ids)


def purge_contacts() -> None:
    """Remove contact details of reports older than CONTACT_RETENTION_DAYS (a periodic job)."""
    days = current_app.config["CONTACT_RETENTION_DAYS"]
    count = purge_contact(timedelta(days=days), JOBS_ACTOR)
    # The outbox holds the same addresses: they go after the same time.
    notifications.forget_recipients(timedelta(days=days))
    log.info("removed contact details from %d report(s) older than %d days", count, days)
