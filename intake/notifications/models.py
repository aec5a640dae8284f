"""The outbox table: mail written in the same transaction as the change it tells about."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.core.extensions import Model
from intake.core.models import utcnow

KINDS = ("receipt", "decision", "appeal")
# pending: waiting for (another) attempt; sent; dead: gave up after MAIL_MAX_ATTEMPTS;
# cancelled: the reporter stopped mail before it went out.
STATUSES = ("pending", "sent", "dead", "cancelled")


class OutboxMessage(Model):
    """One rendered email to one reporter; the worker delivers it at least once."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    recipient: Mapped[str | None] = mapped_column(String(254))  # cleared by the retention purge
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # When the next attempt may start; while one runs, the end of its lease.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Callback(Model):
    """A hotline caller to ring back with the verdict; written with the decision."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    public_note: Mapped[str | None] = mapped_column(Text)  # as decided, for the script
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Open while NULL: the operators' list is the open rows, oldest first.
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
