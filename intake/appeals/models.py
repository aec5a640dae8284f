"""The appeals table: a reporter's request that a decided case be decided again."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.core.extensions import Model
from intake.core.models import Case, utcnow

# open: waiting in the queue for a moderator other than the original decider; decided.
APPEAL_STATUSES = ("open", "decided")
APPEAL_RESULTS = ("upheld", "reversed")


class Appeal(Model):
    """One appeal against one decision of a case, filed through one report's tracking code."""

    __tablename__ = "appeals"
    __table_args__ = (
        Index("ix_appeals_case_status", "case_id", "status"),  # "is one open?" per case
        Index("ix_appeals_created", "created_at"),  # dashboard: received in the window
        Index("ix_appeals_decided", "decided_at"),  # dashboard: decided in the window
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The decision appealed against, as it was: who decided it may not decide the appeal.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    original_decider_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    original_outcome: Mapped[str] = mapped_column(String(20))
    # Filled when the appeal is decided; a reversed appeal records the new outcome.
    result: Mapped[str | None] = mapped_column(String(10))
    new_outcome: Mapped[str | None] = mapped_column(String(20))
    public_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
