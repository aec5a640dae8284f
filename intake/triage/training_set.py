"""Training sets from moderator decisions: starter corpus + decided cases, split by time.

A case a moderator moved to another desk (intake/cases/desk_moves.py) and nobody has decided yet
teaches the topic only: its reports are labelled with the moved-to desk and UNLABELLED for
actionable. Once decided, the decision's final topic is the label instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import selectinload

import classifier
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report
from intake.triage.scoring import report_text

ACTIONABLE_OUTCOMES = frozenset({"false", "misleading"})


@dataclass
class DecidedCase:
    """One current decision and the labelled texts of its case's reports."""

    decided_at: datetime
    rows: classifier.LabelledData


@dataclass
class TrainingSplit:
    """What a candidate trains on and the most recent decisions it is judged on."""

    train: classifier.LabelledData
    held_out: classifier.LabelledData
    counts: dict[str, int] = field(default_factory=dict)
    held_out_from: datetime | None = None  # decisions at or after this are held out
    since: datetime | None = None


def decided_cases(since: datetime | None = None) -> list[DecidedCase]:
    """Return every current decision (oldest first) with its reports labelled by it."""
    query = (
        db.select(Decision)
        .where(Decision.current.is_(True))
        .order_by(Decision.decided_at, Decision.id)
        .options(selectinload(Decision.case).selectinload(Case.reports)
                 .selectinload(Report.urls))
    )
    if since is not None:
        query = query.where(Decision.decided_at >= since)
    out = []
    for decision in db.session.scalars(query):
        if decision.case.status == "merged":
            continue  # its reports moved to the surviving case, which carries the label
        # The case's final topic labels every report; spam is never actionable.
        actionable = int(decision.outcome in ACTIONABLE_OUTCOMES)
        texts = list(dict.fromkeys(report_text(r) for r in decision.case.reports))
        rows = classifier.LabelledData(texts, [decision.final_topic] * len(texts),
                                       [actionable] * len(texts))
        if rows:
            out.append(DecidedCase(decision.decided_at, rows))
    return out


def moved_cases() -> classifier.LabelledData:
    """Return the reports of undecided cases moved to another desk, labelled with that desk."""
    decided = db.select(Decision.id).where(Decision.case_id == Case.id,
                                           Decision.current.is_(True))
    query = (db.select(Case).where(Case.desk_topic.is_not(None), Case.status != "merged",
                                   ~decided.exists())
             .order_by(Case.id)
             .options(selectinload(Case.reports).selectinload(Report.urls)))
    data = classifier.LabelledData()
    for case in db.session.scalars(query):
        texts = list(dict.fromkeys(report_text(r) for r in case.reports))
        data = data + classifier.LabelledData(texts, [case.desk_topic] * len(texts),
                                              [classifier.UNLABELLED] * len(texts))
    return data


def _concat(cases: list[DecidedCase]) -> classifier.LabelledData:
    data = classifier.LabelledData()
    for case in cases:
        data = data + case.rows
    return data


def build_split(
    *, since: datetime | None = None, holdout_share: float = 0.2,
    extra: classifier.LabelledData | None = None,
) -> TrainingSplit:
    """Return starter + extra + older decisions to train on, the newest decisions held out."""
    starter = classifier.load_starter_corpus()
    extra = extra or classifier.LabelledData()
    cases = decided_cases(since)
    # Whole cases are held out, so near-identical reports never sit on both sides.
    n_held = round(len(cases) * holdout_share) if len(cases) >= 2 else 0
    older, newest = cases[: len(cases) - n_held], cases[len(cases) - n_held:]
    decided = _concat(older)
    held_out = _concat(newest)
    moved = moved_cases()  # topic-only labels: trained on, never held out (no verdict)
    counts = {
        "starter": len(starter), "extra": len(extra),
        "decisions": len(cases), "train_decisions": len(older),
        "train_decision_reports": len(decided),
        "held_out_decisions": len(newest), "held_out_reports": len(held_out),
        "moved_reports": len(moved),
    }
    return TrainingSplit(
        train=starter + extra + decided + moved, held_out=held_out, counts=counts,
        held_out_from=newest[0].decided_at if newest else None, since=since,
    )
