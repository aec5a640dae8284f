"""What anyone holding a tracking code may see of their report: nothing personal."""

from dataclasses import dataclass
from datetime import datetime

from intake.cases.public_notes import any_note
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report
from intake.reports.tracking import parse_code


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the tracking code may see: nothing personal."""

    tracking_code: str
    status: str
    received_at: datetime
    outcome: str | None
    public_note: str | None  # either note, Chinese first, for readers of no stated language
    decided_at: datetime | None
    public_note_en: str | None = None

    def note_in(self, language: str | None) -> str | None:
        """The note in the reader's language, falling back to the other one."""
        return self.public_note_en or self.public_note if language == "en" else self.public_note


def _was_decided(case: Case) -> bool:
    return db.session.scalar(db.select(Decision.id).where(Decision.case_id == case.id)
                             .limit(1)) is not None


def status_for(code_text: str) -> PublicStatus | None:
    """Return the public status for a typed tracking code, None if unknown.

    Raises CodeError when the code is malformed or fails its check symbol.
    """
    code = parse_code(code_text)
    report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).first()
    return None if report is None else public_status(report)


def public_status(report: Report) -> PublicStatus:
    """Return what anyone holding the report's tracking code may see."""
    case = report.case
    # Under appeal the decision stands, and is shown, until the appeal is decided.
    resolved = case.status in ("resolved", "appealed")
    # A reopened case (decided before) is being reviewed again, not newly received.
    reviewed = case.status == "under_review" or (case.status == "open" and _was_decided(case))
    return PublicStatus(
        tracking_code=report.tracking_code,
        status="resolved" if resolved else "under_review" if reviewed else "received",
        received_at=report.received_at,
        outcome=case.outcome if resolved else None,
        public_note=any_note(case.public_note, case.public_note_en) if resolved else None,
        decided_at=case.decided_at if resolved else None,
        public_note_en=case.public_note_en if resolved else None,
    )
