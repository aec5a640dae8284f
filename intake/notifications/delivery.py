"""Deliver the outbox by SMTP: at least once, with backoff, then a dead-letter state.

The operations here flush; the send loop (notifications/worker.py) commits each lease
before it sends and each outcome after, and views and commands commit what they call.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from sqlalchemy import update

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.dml import changed_rows
from intake.core.extensions import db
from intake.core.models import utcnow
from intake.notifications.models import OutboxMessage


def backoff(attempts: int) -> timedelta:
    """Return the wait after the given number of failed attempts: doubling, capped."""
    config = current_app.config
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def due_ids(limit: int) -> list[int]:
    """Return the ids of the messages due now, oldest due first."""
    query = (db.select(OutboxMessage.id)
             .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= utcnow())
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    return list(db.session.scalars(query))


def lease(message_id: int) -> bool:
    """Take a message for one attempt (flushed); False when another worker took it.

    The caller must commit the lease before it sends, so a worker killed mid-send leaves
    the attempt counted and the message due again when the lease ends.
    """
    # Conditional: of two workers only one takes a message. The lease ends the attempt if
    # this worker dies mid-send; the message is then sent again (at least once).
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    taken = changed_rows(
        update(OutboxMessage).where(OutboxMessage.id == message_id,
                                    OutboxMessage.status == "pending",
                                    OutboxMessage.next_attempt_at <= now)
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + lease)) == 1
    db.session.flush()
    return taken


def email(message: OutboxMessage) -> EmailMessage:
    """Build the mail of an outbox message (text and HTML, the reporter's language)."""
    config = current_app.config
    mail = EmailMessage()
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    # The same id on every attempt lets mail systems drop a duplicate of a resent message.
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "reportdesk.invalid"
    mail["Message-ID"] = f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text)
    mail.add_alternative(message.body_html, subtype="html")
    # After the parts: making the alternative moves Content-* headers into the first part.
    mail["Content-Language"] = "zh-CN" if message.language == "zh" else "en"
    return mail


def connect() -> smtplib.SMTP:
    """Open the SMTP connection the config describes (TLS and login when set)."""
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"],
                        timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def failed(message: OutboxMessage, error: str) -> bool:
    """Record a failed attempt (flushed); return True when the message is now dead."""
    dead = message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    message.last_error = error[:500]
    message.status = "dead" if dead else "pending"
    message.next_attempt_at = utcnow() + backoff(message.attempts)
    db.session.flush()
    return dead


def sent(message: OutboxMessage) -> None:
    """Mark a message sent (flushed)."""
    message.status, message.sent_at, message.last_error = "sent", utcnow(), None
    db.session.flush()


def retry(message_ids: list[int] | None, actor: Actor) -> int:
    """Put dead messages (all, or the ids given) back in the queue now; return how many."""
    query = update(OutboxMessage).where(OutboxMessage.status == "dead")
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids))
    query = query.where(OutboxMessage.recipient.is_not(None))  # none left after a purge
    count = changed_rows(query.values(status="pending", attempts=0, next_attempt_at=utcnow()))
    audit.record(actor, "outbox.retry", "outbox", None,
                 after={"messages": count, "ids": message_ids})
    db.session.flush()
    return count


def counts() -> dict[str, int]:
    """Return how many messages are in each status."""
    rows = db.session.execute(db.select(OutboxMessage.status, db.func.count())
                              .group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def listing(status: str | None = None, limit: int = 100) -> list[OutboxMessage]:
    """Return messages (of one status, or all), newest first."""
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


def mail_health() -> tuple[dict, bool]:
    """Say how mail is doing from the outbox alone (for /healthz): a health check never
    opens SMTP.

    "not configured" without MAIL_SERVER; else the backlog, "degraded" when a message is
    dead or the oldest waiting one is older than MAIL_HEALTH_MAX_WAIT_MINUTES.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return {"state": "not configured"}, False
    counts = dict(db.session.execute(
        db.select(OutboxMessage.status, db.func.count())
        .where(OutboxMessage.status.in_(("pending", "dead")))
        .group_by(OutboxMessage.status)).all())
    oldest = db.session.scalar(db.select(db.func.min(OutboxMessage.created_at))
                               .where(OutboxMessage.status == "pending"))
    minutes = round((utcnow() - oldest).total_seconds() / 60, 1) if oldest else None
    late = minutes is not None and minutes > current_app.config["MAIL_HEALTH_MAX_WAIT_MINUTES"]
    dead = counts.get("dead", 0)
    state = "degraded" if dead or late else "ok"
    return {"state": state, "waiting": counts.get("pending", 0), "dead": dead,
            "oldest_waiting_minutes": minutes}, state == "degraded"
