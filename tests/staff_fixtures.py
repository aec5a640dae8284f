"""Staff fixtures: real accounts created through the users service, real logins."""

import pytest
from factories import PASSWORD

from intake.core.extensions import db
from intake.core.models import Case, Report


@pytest.fixture
def login(client):
    """Log the test client in as a user; returns the response."""

    def do(name: str, password: str = PASSWORD):
        return client.post("/staff/login", data={"username": name, "password": password})

    return do


@pytest.fixture
def clustered_case(app, make_report):
    """Store reports (one per claim, in one case if they cluster); return the case id."""

    def make(*claims: str, topic: str = "battery-safety", status: str = "open") -> int:
        codes = [make_report(claim=claim, explanation=None, reporter_key=f"r{i}")
                 for i, claim in enumerate(claims)]
        with app.app_context():
            ids = set(db.session.scalars(db.select(Report.case_id)
                                         .where(Report.tracking_code.in_(codes))))
            assert len(ids) == 1, "the claims were meant to form one case"
            case = db.session.get(Case, ids.pop())
            case.topic, case.status = topic, status
            db.session.commit()
            return case.id

    return make
