"""The statement of reasons a reporter sees with a decision (EU DSA Art. 17)."""

from dataclasses import dataclass

from intake.core.extensions import db
from intake.core.models import Decision, Report
from intake.reports.status import PublicStatus


@dataclass(frozen=True)
class Reasons:
    """What was decided, on what basis, and whether automated means were involved."""

    outcome: str
    has_note: bool
    model_involved: bool


def reasons_for(status: PublicStatus | None) -> Reasons | None:
    """Return the statement of reasons for a decided report, None while it is undecided."""
    if status is None or not status.outcome:
        return None
    # The current decision of the report's case: did a model score its reports?
    score = db.session.scalar(
        db.select(Decision.model_p_actionable)
        .join(Report, Report.case_id == Decision.case_id)
        .where(Report.tracking_code == status.tracking_code, Decision.current.is_(True))
        .order_by(Decision.id.desc()).limit(1))
    return Reasons(status.outcome, bool(status.public_note), score is not None)
