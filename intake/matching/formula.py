"""How a matched decided case moves P(actionable) (operations.py finds the match).

With p the model's P(actionable), s the similarity (1.0 for the same link) and
w = MATCH_WEIGHT:

    false, misleading:  p' = 1 - (1 - p)(1 - s*w)    (towards 1)
    accurate:           p' = p (1 - s*w)             (towards 0)
    unverifiable, spam: p' = p                       (shown, but says nothing either way)
"""

from flask import current_app

from intake.core.models import Report

RAISES, LOWERS = ("false", "misleading"), ("accurate",)


def adjusted(p: float, outcome: str, similarity: float, weight: float) -> float:
    """Return P(actionable) moved by a matched verdict (see the module docstring)."""
    pull = max(0.0, min(1.0, similarity * weight))
    if outcome in RAISES:
        return 1.0 - (1.0 - p) * (1.0 - pull)
    if outcome in LOWERS:
        return p * (1.0 - pull)
    return p


def apply_to_report(report: Report, match: dict | None) -> None:
    """Set the report's P(actionable) from the model's own p and the match (None: no match)."""
    reasons = dict(report.reasons or {})
    p_model = reasons.get("p_model", report.p_actionable)
    if match is None or p_model is None:
        return
    reasons["p_model"], reasons["match"] = p_model, match
    report.reasons = reasons
    report.p_actionable = adjusted(p_model, match["outcome"], match["similarity"],
                                   current_app.config["MATCH_WEIGHT"])
