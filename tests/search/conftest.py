"""Fixtures and helpers of the staff search tests: reports through the real intake, calls."""


import re

import pytest

from intake.core.extensions import db
from intake.core.models import Case
from intake.hotline import calls
from intake.reports.operations import ReportInput, submit_report
from intake.users.models import User

ZH = {"Accept-Language": "zh"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def app(app_factory):
    # Every report keeps a case of its own, so a test decides which desk each case is on.
    return app_factory(CLUSTER_ENABLED=False)


@pytest.fixture
def store(app):
    """Store a report through the real intake and put its case on a desk; return (code, case)."""

    def make(claim: str, topic: str | None = None, urls=(), explanation=None):
        with app.app_context():
            report, _ = submit_report(
                ReportInput(claim=claim, explanation=explanation, urls=list(urls),
                            good_faith=True),
                channel="web", upload_dir=app.config["UPLOAD_DIR"])
            report.case.topic = topic
            db.session.commit()
            return report.tracking_code, report.case_id

    return make


@pytest.fixture
def call(app, make_user):
    """Log a hotline call as an operator; return (code, case id)."""
    make_user("olga", "operator", ())

    def make(number: str, claim: str, topic: str | None = None):
        with app.app_context():
            operator = db.session.scalars(db.select(User).where(User.username == "olga")).one()
            report, _ = calls.submit_call(calls.Call(number=number, claim=claim), operator)
            db.session.get(Case, report.case_id).topic = topic
            db.session.commit()
            return report.tracking_code, report.case_id

    return make


def search(client, q: str, **params):
    return client.get("/staff/search", query_string={"q": q, **params}, headers=EN)


def found_cases(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [int(n) for n in re.findall(r'href="/staff/cases/(\d+)"', response.text)]


@pytest.fixture
def admin(make_user, login):
    make_user("ada", "admin", ())
    login("ada")
