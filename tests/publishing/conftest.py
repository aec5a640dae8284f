"""Debunk fixtures: real accounts and logins, reports through intake, decisions and
publications through the services."""

import secrets

import pytest
from factories import PASSWORD

from intake.cases import claims, decisions
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.publishing import operations as publishing
from intake.publishing.models import Debunk
from intake.users import accounts as users
from intake.users.models import User

EN = {"Accept-Language": "en"}


def user(name: str) -> User:
    return db.session.scalars(db.select(User).where(User.username == name)).one()


def case_of(code: str) -> Case:
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one().case


@pytest.fixture
def mona(app):
    """A moderator of the battery desk."""
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
    return "mona"


@pytest.fixture
def client_as(client_as):
    """The shared client_as (tests/case_fixtures.py), in English unless a test says otherwise."""
    return lambda name=None, lang="en": client_as(name, lang)


@pytest.fixture
def claimed_case(app, make_report, mona):
    """Store a report through intake and let mona claim its case; returns (case id, code)."""

    def make(**fields):
        fields.setdefault("claim", "Rumour " + " ".join(secrets.token_hex(4) for _ in range(8)))
        code = make_report(**fields)
        with app.app_context():
            case = case_of(code)
            case.topic = "battery-safety"
            db.session.commit()
            assert claims.claim(case.id, user(mona)).ok
            db.session.commit()  # the view's commit
            return case.id, code

    return make


@pytest.fixture
def decided_case(app, claimed_case, mona):
    """A case decided by mona through the decisions service; returns (case id, code)."""

    def make(outcome: str = "false", note: str | None = "The video is from 2021.", **fields):
        case_id, code = claimed_case(**fields)
        with app.test_request_context(headers=EN):
            decisions.decide(db.session.get(Case, case_id), user(mona), outcome,
                             "battery-safety", note)
            db.session.commit()  # the view's commit
        return case_id, code

    return make


@pytest.fixture
def published(app, decided_case, mona):
    """Decide a case and publish its debunk through the services; returns the debunk's id."""

    def make(claim_reviewed: str = "A parked EV caught fire by itself in a Wuhan garage.",
             explanation: str | None = None, sources: str | None = None,
             outcome: str = "false", report: dict | None = None) -> int:
        case_id, _code = decided_case(outcome, **(report or {}))
        with app.test_request_context(headers=EN):
            debunk = publishing.publish(db.session.get(Case, case_id), user(mona),
                                        claim_reviewed, explanation, sources)
            db.session.commit()
            return debunk.id

    return make


def get_debunk(debunk_id: int) -> Debunk:
    return db.session.get(Debunk, debunk_id)
