"""Staff fixtures: real accounts created through the users service, real logins."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users

PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """Create a staff account; returns its username."""

    def make(name: str, role: str = "moderator", desks=("battery-safety",)):
        with app.app_context():
            users.create_user(name, PASSWORD, role, list(desks) if role != "admin" else list(desks),
                              actor="cli:test")
            db.session.commit()
        return name

    return make


@pytest.fixture
def login(client):
    """Log the test client in as a user; returns the response."""

    def do(name: str, password: str = PASSWORD):
        return client.post("/staff/login", data={"username": name, "password": password})

    return do


# --- Cases and decisions written straight to the database (dashboard, SLA, permissions) ---

@pytest.fixture
def make_case(app):
    """Store an open case with one scored report; keyword arguments override case fields."""

    def make(topic: str | None = "battery-safety", age_hours: float = 1.0, **fields) -> int:
        created = utcnow() - timedelta(hours=age_hours)
        with app.app_context():
            case = Case(status="open", topic=topic, created_at=created, updated_at=created,
                        report_count=1, reporter_count=1, title="A parked EV caught fire",
                        channel="web", language="en", p_actionable=0.6, last_report_at=created)
            for name, value in fields.items():
                setattr(case, name, value)
            scored = topic is not None
            case.reports = [Report(
                tracking_code=new_code(), channel="web", language="en", received_at=created,
                claim="A video says a parked EV caught fire by itself in Wuhan.",
                scoring_status="scored" if scored else "unscored", topic=topic,
                p_actionable=0.6 if scored else None)]
            db.session.add(case)
            db.session.commit()
            return case.id

    return make


@pytest.fixture
def make_decision(app):
    """Resolve a case with a decision taken `hours_after` its creation (or at `at`)."""

    def make(case_id: int, hours_after: float = 2.0, at=None, outcome: str = "false") -> int:
        with app.app_context():
            case = db.session.get_one(Case, case_id)
            decided = at or case.created_at + timedelta(hours=hours_after)
            case.status, case.outcome, case.decided_at = "resolved", outcome, decided
            decision = Decision(case_id=case.id, decided_at=decided, outcome=outcome,
                                final_topic=case.topic or "off-topic")
            db.session.add(decision)
            db.session.commit()
            return decision.id

    return make
