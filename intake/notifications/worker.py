"""The send loop: the unit of work of mail delivery, one commit per lease and per outcome.

Each message is leased and the lease committed BEFORE the mail goes out: a worker killed
mid-send leaves the attempt counted and the message due again when the lease runs out
(at least once; bench/mail_kill_drill.py kills workers to check it). The outcome (sent,
retry later, dead) is committed after the send.
"""

import logging
import smtplib
from dataclasses import dataclass

from flask import current_app

from intake.core.extensions import db
from intake.notifications import delivery, messages
from intake.notifications.models import OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """What one delivery run did."""

    sent: int
    failed: int
    dead: int


def deliver_due(limit: int | None = None) -> Delivery:
    """Send the messages that are due, each on its own lease; record sent, retry or dead."""
    limit = limit or current_app.config["MAIL_BATCH"]
    sent = failed = dead = 0
    smtp: smtplib.SMTP | None = None
    try:
        for message_id in delivery.due_ids(limit):
            taken = delivery.lease(message_id)
            db.session.commit()  # the lease is stored before the send (or the lock let go)
            if not taken:
                continue  # another worker took it
            message = db.session.get_one(OutboxMessage, message_id)
            try:
                smtp = smtp or delivery.connect()
                smtp.send_message(delivery.email(message))
            except (OSError, smtplib.SMTPException) as exc:  # timeouts are OSErrors
                smtp = None  # reconnect for the next message; the server may be back
                failed += 1
                dead += delivery.failed(message, f"{type(exc).__name__}: {exc}")
                db.session.commit()
                continue
            delivery.sent(message)
            db.session.commit()
            sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    if sent or failed:
        log.info("mail: %d sent, %d failed, %d dead", sent, failed, dead)
    return Delivery(sent, failed, dead)


def deliver_mail() -> None:
    """Send the outbox messages that are due (a periodic job; none without a mail server)."""
    if messages.mail_enabled():
        deliver_due()
