"""The reporter_suspensions table: reporter keys suspended for misuse (`flask reporters`)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.core.extensions import Model
from intake.core.models import Report, utcnow

# The spam and suspension look-ups go from a reporter key to its cases (intake/misuse/trust.py).
Index("ix_reports_reporter_case", Report.reporter_key, Report.case_id)


class ReporterSuspension(Model):
    """A suspended reporter key: its reports are still stored, marked, and rank last.

    Lifting deletes the row; the audit trail keeps both events and the reason.
    """

    __tablename__ = "reporter_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_key: Mapped[str] = mapped_column(String(64), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    suspended_at: Mapped[datetime] = mapped_column(default=utcnow)
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
