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
from sqlalchemy import bindparam

from intake.clustering import index as case_index
from intake.clustering.signatures import Signature
from intake.core.extensions import db
from intake.core.links import names_a_page
from intake.core.models import Case, Report, ReportUrl
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


_BY_LINK = (db.select(Case.id, Case.outcome, Case.decided_at)
            .join(Report, Report.case_id == Case.id)
            .join(ReportUrl, ReportUrl.report_id == Report.id)
            .where(ReportUrl.url_key.in_(bindparam("keys", expanding=True)),
                   Case.status == "resolved")
            .order_by(Case.decided_at.desc(), Case.id.desc()).limit(1))


def find(report: Report, sig: Signature,
         shared: case_index.SharedLookup | None = None) -> Match | None:
    """Return the decided case this report is most like, or None.

    shared: clustering's lookup of the same report; without it, a lookup of its own.
    """
    keys = [u.url_key for u in report.urls if names_a_page(u.url_key)]
    if keys:
        row = db.session.execute(_BY_LINK, {"keys": keys}).first()
        if row is not None and row.outcome:
            return Match(row.id, row.outcome, row.decided_at, 1.0, "link")
    if not sig.informative:
        return None
    threshold = current_app.config["MATCH_THRESHOLD"]
    decided = (shared.among(("resolved",)) if shared is not None
               else case_index.lookup(sig, ("resolved",)))
    for found in decided:  # best first; the lookup brings each case's verdict along
        if found.similarity < threshold:
            return None
        if found.outcome and found.decided_at:  # resolved cases have both
            return Match(found.case_id, found.outcome, found.decided_at,
                         min(found.similarity, 1.0), "text")
    return None


def record(report: Report, sig: Signature,
           shared: case_index.SharedLookup | None = None) -> Match | None:
    """Match a new report against decided cases; adjust its P and mark its case. No flush."""
    if not current_app.config["MATCH_ENABLED"]:
        return None
    with db.session.no_autoflush:
        match = find(report, sig, shared)
    if match is None:
        return None
    if report.scoring_status == "scored":
        apply_to_report(report, match.to_json())
    case = report.case
    if case.match_case_id is None or match.similarity > (case.match_similarity or 0.0):
        case.match_case_id, case.match_outcome = match.case_id, match.outcome
        case.match_decided_at, case.match_similarity = match.decided_at, match.similarity
    return match
