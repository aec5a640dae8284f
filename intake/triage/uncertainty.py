"""Open cases the active model is least sure about, with what makes each one unsure."""

from dataclasses import dataclass

from intake.cases import queue as cases
from intake.core.models import Case


@dataclass(frozen=True)
class Uncertain:
    """An open case and how unsure the model is about it (1 = a coin toss)."""

    case: Case
    uncertainty: float
    topic_margin: float | None  # top topic probability minus the runner-up, lowest report


def _topic_margin(case: Case) -> float | None:
    margins = []
    for report in case.reports:
        probs = sorted(((report.reasons or {}).get("topic_probabilities") or {}).values(),
                       reverse=True)
        if len(probs) >= 2:
            margins.append(probs[0] - probs[1])
    return min(margins) if margins else None


def least_certain(limit: int = 20, desks: list[str] | None = None) -> list[Uncertain]:
    """Return up to `limit` open cases in the queue's "uncertain" order, explained."""
    # One definition of "uncertain" for the queue filter and the CLI: P(actionable) near 0.5.
    return [Uncertain(case, 1 - abs(2 * (case.p_actionable or 0.0) - 1), _topic_margin(case))
            for case in cases.least_certain(limit, desks)]
