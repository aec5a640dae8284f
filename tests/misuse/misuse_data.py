"""Cases written straight to the database for the misuse tests: spam history, open cases."""

from datetime import timedelta

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.partners.operations import create_partner
from intake.reports.tracking import new_code
from intake.triage import scoring as triage

CLAIM = "A video says a parked EV caught fire by itself in Wuhan."


def report(key: str | None = None, partner_id: int | None = None, **fields) -> Report:
    return Report(tracking_code=new_code(), channel="api" if partner_id else "web",
                  language="en", claim=CLAIM, scoring_status="scored", topic="battery-safety",
                  p_actionable=0.6, reporter_key=key, partner_id=partner_id, **fields)


def spam_history(key: str | None = None, partner_id: int | None = None, count: int = 3,
                 days_ago: float = 1.0, current: bool = True) -> None:
    """`count` cases reported by the source and decided spam `days_ago` days ago."""
    decided = utcnow() - timedelta(days=days_ago)
    for _ in range(count):
        case = Case(status="resolved", outcome="spam", topic="battery-safety",
                    created_at=decided, decided_at=decided, reports=[report(key, partner_id)])
        db.session.add(case)
        db.session.flush()
        db.session.add(Decision(case_id=case.id, decided_at=decided, outcome="spam",
                                final_topic="battery-safety", current=current))
    db.session.commit()


def open_case(*sources: tuple[str | None, int | None]) -> Case:
    """An open, scored case with one report per (reporter key, partner id), ranked."""
    case = Case(status="open", topic="battery-safety", created_at=utcnow(),
                reports=[report(key, partner) for key, partner in sources])
    db.session.add(case)
    db.session.flush()
    triage.refresh_case(case)
    db.session.commit()
    return case


def partner_id(name: str = "Acme") -> int:
    partner, _key = create_partner(name, "cli:test")
    db.session.commit()
    return partner.id
