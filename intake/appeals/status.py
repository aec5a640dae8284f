"""What the public status page shows of appeals: the latest appeal's state, and the form."""

from dataclasses import dataclass
from datetime import datetime

from intake.appeals import operations as appeals
from intake.core.extensions import db
from intake.core.models import Report
from intake.reports.tracking import parse_code


@dataclass(frozen=True)
class AppealState:
    """What every reporter of the case sees of its latest appeal: nothing personal."""

    status: str  # "open", "upheld" or "reversed"
    filed_at: datetime
    original_outcome: str
    new_outcome: str | None
    public_note: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class AppealOptions:
    """The latest appeal of the report's case, and whether this report may appeal now."""

    state: AppealState | None
    until: datetime | None  # the form is shown: the appeal window ends then
    closed: str | None  # why the form is not shown (window over, already appealed)


def report_for(code_text: str) -> Report | None:
    """Return the report of a typed tracking code (CodeError when malformed), None if unknown."""
    code = parse_code(code_text)
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).first()


def state_of(case_id: int) -> AppealState | None:
    """Return what the status page shows of the case's latest appeal."""
    appeal = appeals.latest_appeal(case_id)
    if appeal is None:
        return None
    return AppealState(appeal.result or "open", appeal.created_at, appeal.original_outcome,
                       appeal.new_outcome, appeal.public_note, appeal.decided_at)


def options_for(report: Report) -> AppealOptions:
    """Return the appeal part of the report's status page."""
    state = state_of(report.case_id)
    problem = appeals.refusal(report)
    if problem is None:
        return AppealOptions(state, appeals.deadline(report.case), None)
    # An undecided case shows no appeal at all; an open appeal shows its state instead.
    shown = problem.kind in ("expired", "repeated")
    return AppealOptions(state, None, str(problem) if shown else None)
