"""Case page fixtures: real accounts and logins, cases made through the intake service."""

import secrets
from datetime import timedelta

import pytest

from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.reports.evidence import Upload
from intake.users import accounts as users
from intake.users.models import User

from .smtp_sink import Smtp

PASSWORD = "correct horse battery"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1, started for one test."""
    server = Smtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_user(app):
    """Create a staff account through the users service; returns its username."""

    def make(name: str, role: str = "moderator", desks=("battery-safety",)):
        with app.app_context():
            users.create_user(name, PASSWORD, role, list(desks), actor="cli:test")
            db.session.commit()
        return name

    return make


@pytest.fixture
def client_as(app):
    """Return a test client logged in as the user (None: an anonymous client)."""

    def make(name: str | None = None):
        client = app.test_client()
        if name:
            response = client.post("/staff/login", data={"username": name, "password": PASSWORD})
            assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return make


def _report(code: str) -> Report:
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()


def unique_claim() -> str:
    """Return claim text unlike any other, so intake's clustering keeps each case apart."""
    return "Rumour " + " ".join(secrets.token_hex(4) for _ in range(10))


@pytest.fixture
def make_case(app, make_report):
    """Store reports through intake into one case; returns (case id, tracking codes).

    topic sets the desk when scoring is off; evidence=True adds a PNG to the first report.
    """

    def make(topic: str | None = "battery-safety", reports: int = 1, evidence: bool = False,
             **overrides):
        overrides.setdefault("claim", unique_claim())
        uploads = [Upload("screenshot.png", "image/png", PNG)] if evidence else []
        codes = [make_report(uploads=uploads if i == 0 else [], **overrides)
                 for i in range(reports)]
        with app.app_context():
            case = _report(codes[0]).case
            for code in codes[1:]:  # clustering is not under test here: join them by hand
                report = _report(code)
                if report.case_id != case.id:
                    report.case.status, report.case.merged_into_id = "merged", case.id
                    report.case = case
            if topic is not None:
                case.topic = topic
            case.report_count = len(codes)
            db.session.commit()
            return case.id, codes

    return make


@pytest.fixture
def claim(app):
    """Claim a case through the claims service (minutes < 0: then let the claim expire)."""

    def give(case_id: int, name: str, minutes: int = 30) -> None:
        with app.app_context():
            user = db.session.scalars(db.select(User).where(User.username == name)).one()
            result = claims.claim(case_id, user)
            assert result.ok, result
            if minutes < 0:
                case = db.session.get(Case, case_id)
                case.claimed_until = utcnow() + timedelta(minutes=minutes)
                db.session.commit()

    return give
