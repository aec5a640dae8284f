"""Case page fixtures: real accounts and logins, cases made through the intake service."""

from datetime import timedelta

import pytest
from appeals.appeal_helpers import decide
from factories import PASSWORD
from smtp_sink import Smtp

from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1, started for one test."""
    server = Smtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client_as(app):
    """Return a test client logged in as the user (None: an anonymous client), in a language."""

    def make(name: str | None = None, lang: str | None = None):
        client = app.test_client()
        if lang:
            client.set_cookie("lang", lang)
        if name:
            response = client.post("/staff/login", data={"username": name, "password": PASSWORD})
            assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def claim(app):
    """Claim a case through the claims service (minutes < 0: then let the claim expire)."""

    def give(case_id: int, name: str, minutes: int = 30) -> None:
        with app.app_context():
            user = db.session.scalars(db.select(User).where(User.username == name)).one()
            result = claims.claim(case_id, user)
            assert result.ok, result
            db.session.commit()  # the view's commit
            if minutes < 0:
                case = db.session.get(Case, case_id)
                case.claimed_until = utcnow() + timedelta(minutes=minutes)
                db.session.commit()

    return give


@pytest.fixture
def appeal_staff(make_user):
    """The appeal tests' staff: mona decides first, nina (same desk) or root decides the appeal."""
    make_user("mona")  # takes the first decision
    make_user("nina")  # the same desk: may decide the appeal
    make_user("root", role="admin", desks=())


@pytest.fixture
def decided_case(app, appeal_staff, make_reported_case, client_as, claim):
    """A case of `reports` reports that mona decided "false"; returns (case id, codes)."""

    def make(reports: int = 1, outcome: str = "false"):
        case_id, codes = make_reported_case(reports=reports)
        claim(case_id, "mona")
        decide(client_as("mona"), case_id, outcome)
        return case_id, codes

    return make
