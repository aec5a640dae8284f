"""Open cases the active model is least sure about: what moderators should label first."""

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from .extensions import db
from .models import Case

OPEN = ("open", "under_review")


@dataclass(frozen=True)
class Uncertain:
    """An open case and how unsure the model is about it (1 = a coin toss)."""

    case: Case
    uncertainty: float
    topic_margin: float | None  # top topic probability minus the runner-up


def _topic_margin(case: Case) -> float | None:
    margins = []
    for report in case.reports:
        probs = sorted(((report.reasons or {}).get("topic_probabilities") or {}).values(),
                       reverse=True)
        if len(probs) >= 2:
            margins.append(probs[0] - probs[1])
    return min(margins) if margins else None


def least_certain(limit: int = 20, desks: list[str] | None = None) -> list[Uncertain]:
    """Return up to `limit` scored open cases, least certain first."""
    # The database narrows by P(actionable) near 0.5; topic margins refine the short list.
    closeness = db.func.abs(Case.p_actionable - 0.5)
    query = (db.select(Case).where(Case.status.in_(OPEN), Case.p_actionable.is_not(None))
             .order_by(closeness, Case.id).limit(limit * 5)
             .options(selectinload(Case.reports)))
    if desks is not None:
        query = query.where(Case.topic.in_(desks))
    found = []
    for case in db.session.scalars(query):
        margin = _topic_margin(case)
        actionable = 1 - abs(2 * (case.p_actionable or 0.0) - 1)
        topic = 1 - margin if margin is not None else 0.0
        found.append(Uncertain(case, max(actionable, topic), margin))
    found.sort(key=lambda u: (-u.uncertainty, u.case.id))
    return found[:limit]
