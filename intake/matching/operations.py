"""Claim matching: a new report about an already-decided case shows that verdict and uses it.

A report matches a decided case when they share a specific normalised link (similarity 1)
or when its claim is at least MATCH_THRESHOLD alike (the clustering's n-gram TF-IDF and
bilingual glossary signals, so a Chinese report can match an English case). The verdict
moves the model's P(actionable) p, with s the similarity and w = MATCH_WEIGHT:

    false, misleading:  p' = 1 - (1 - p)(1 - s*w)    (towards 1)
    accurate:           p' = p (1 - s*w)             (towards 0)
    unverifiable, spam: p' = p                       (shown, but says nothing either way)

The formula lives in formula.py. The model's own p stays in report.reasons["p_model"],
so a rescore re-applies the match.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from intake.clustering import index as case_index
from intake.clustering.signatures import Signature
from intake.core.extensions import db
from intake.core.models import Report
from intake.matching.formula import apply_to_report


@dataclass(frozen=True)
class Match:
    """A decided case a report is like, and how alike (1.0: the same link)."""

    case_id: int
    outcome: str
    decided_at: datetime
    similarity: float
    via: str  # "link" or "text"

    def to_json(self) -> dict:
        return {"case_id": self.case_id, "outcome": self.outcome, "via": self.via,
                "decided_at": self.decided_at.isoformat(timespec="seconds"),
                "similarity": round(self.similarity, 4)}


def find(report: Report, sig: Signature,
         shared: case_index.SharedLookup | None = None) -> Match | None:
    """Return the decided case this report is most like, or None.

    shared: clustering's lookups of the same report; without it, lookups of its own.
    """
    shared = shared or case_index.SharedLookup(sig, case_index.page_keys(report))
    linked = [Match(c.case_id, c.outcome, c.decided_at, 1.0, "link")
              for c in shared.linked(("resolved",)) if c.outcome and c.decided_at]
    if linked:  # the most recently decided case sharing a link
        return max(linked, key=lambda m: (m.decided_at, m.case_id))
    if not sig.informative:
        return None
    threshold = current_app.config["MATCH_THRESHOLD"]
    # Best first; the lookup brings each case's verdict along.
    for found in shared.among(("resolved",)):
        if found.similarity < threshold:
            return None
        if found.outcome and found.decided_at:  # resolved cases have both
            return Match(found.case_id, found.outcome, found.decided_at,
                         min(found.similarity, 1.0), "text")
    return None


def find_new(report: Report, sig: Signature,
             shared: case_index.SharedLookup | None = None) -> Match | None:
    """Return the decided case a new report is like, or None when matching is off. Reads only."""
    if not current_app.config["MATCH_ENABLED"]:
        return None
    with db.session.no_autoflush:
        return find(report, sig, shared)


def record(report: Report, match: Match | None) -> None:
    """Apply a match (find_new) to a new report's P and mark its case. No query, no flush."""
    if match is None:
        return
    if report.scoring_status == "scored":
        apply_to_report(report, match.to_json())
    case = report.case
    if case.match_case_id is None or match.similarity > (case.match_similarity or 0.0):
        case.match_case_id, case.match_outcome = match.case_id, match.outcome
        case.match_decided_at, case.match_similarity = match.decided_at, match.similarity
