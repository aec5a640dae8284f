"""Merge preview: both cases side by side, and whose claim stands in the way of a merge."""

from dataclasses import dataclass
from datetime import datetime

from intake.cases.details import claim_is_live, usernames
from intake.clustering.index import JOINABLE
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.users.models import User

PREVIEW_CLAIMS = 3  # report claims shown per case: enough to tell two rumours apart


@dataclass
class MergeSide:
    case: Case
    claims: list[str]  # the earliest reports' claim texts
    holder: str | None  # who holds a live claim on the case
    holder_id: int | None
    until: datetime | None


@dataclass
class MergePreview:
    source: MergeSide
    target: MergeSide
    problem: str | None  # "same_case", "closed" or None
    held_by: str | None  # another moderator holding either case: only an admin may merge

    def allowed_for(self, user: User) -> bool:
        """Return whether the user may carry out this merge."""
        return self.problem is None and (self.held_by is None or user.role == "admin")


def _side(case: Case, names: dict[int, str]) -> MergeSide:
    claims = list(db.session.scalars(
        db.select(Report.claim).where(Report.case_id == case.id)
        .order_by(Report.received_at, Report.id).limit(PREVIEW_CLAIMS)))
    live = claim_is_live(case)
    holder = case.claimed_by_id if live else None
    return MergeSide(case, claims, names.get(holder) if holder is not None else None,
                     holder, case.claimed_until if live else None)


def preview_merge(source: Case, target: Case, user: User) -> MergePreview:
    """Return what merging source into target would join, and what forbids it."""
    names = usernames({source.claimed_by_id, target.claimed_by_id})
    sides = _side(source, names), _side(target, names)
    problem = ("same_case" if source.id == target.id else
               "closed" if {source.status, target.status} - set(JOINABLE) else None)
    others = [s.holder for s in sides if s.holder_id not in (None, user.id)]
    return MergePreview(*sides, problem=problem, held_by=others[0] if others else None)
