"""The one factory plugin: users, reports, cases and decisions for every test folder.

`make_report` and `make_reported_case` go through the real intake service; `make_case`,
`make_decision` and `make_decided_case` write rows straight to the database, for tests about
what is done with cases (queues, dashboards, training), not how they are made.
"""

import secrets
from datetime import timedelta
from itertools import count

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.evidence import Upload
from intake.reports.operations import ReportInput, submit_report
from intake.reports.tracking import new_code
from intake.users import accounts as users

PASSWORD = "correct horse battery"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
_titles = count(1)


def unique_claim() -> str:
    """Return claim text unlike any other, so intake's clustering keeps each case apart."""
    return "Rumour " + " ".join(secrets.token_hex(4) for _ in range(10))


def report_by_code(code: str) -> Report:
    """The stored report with this tracking code (inside an app context)."""
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()


@pytest.fixture
def make_user(app):
    """Create a staff account through the users service; returns its username."""

    def make(name: str, role: str = "moderator", desks=("battery-safety",)) -> str:
        with app.app_context():
            users.create_user(name, PASSWORD, role, list(desks), actor="cli:test")
            db.session.commit()  # the service flushes; the caller owns the transaction
        return name

    return make


@pytest.fixture
def make_report(app):
    """Store a report through the real intake service; keyword arguments override fields."""

    def make(channel: str = "web", **overrides) -> str:
        fields = {"claim": "A video says a parked EV caught fire by itself in Wuhan.",
                  "explanation": "The same video circulated in 2021.", "good_faith": True}
        fields.update(overrides)
        with app.app_context():
            report, _ = submit_report(ReportInput(**fields), channel=channel,
                                      upload_dir=app.config["UPLOAD_DIR"])
            db.session.commit()  # the service flushes; the caller owns the transaction
            return report.tracking_code

    return make


@pytest.fixture
def make_reported_case(app, make_report):
    """Store reports through intake into one case; returns (case id, tracking codes).

    topic sets the desk when scoring is off; evidence=True adds a PNG to the first report.
    """

    def make(topic: str | None = "battery-safety", reports: int = 1, evidence: bool = False,
             **overrides) -> tuple[int, list[str]]:
        overrides.setdefault("claim", unique_claim())
        uploads = [Upload("screenshot.png", "image/png", PNG)] if evidence else []
        codes = [make_report(uploads=uploads if i == 0 else [], **overrides)
                 for i in range(reports)]
        with app.app_context():
            case = report_by_code(codes[0]).case
            for code in codes[1:]:  # clustering is not under test here: join them by hand
                report = report_by_code(code)
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
def make_case(app):
    """Store an open case with one report, created age_hours ago; fields override columns.

    With a topic the case is scored (priority 50, band P2), without one it is not.
    reports=0 stores the case alone. Returns the case id.
    """

    def make(topic: str | None = "battery-safety", age_hours: float = 1.0, reports: int = 1,
             **fields) -> int:
        created = utcnow() - timedelta(hours=age_hours)
        scored = topic is not None
        columns = {
            "status": "open", "topic": topic, "created_at": created, "updated_at": created,
            "last_report_at": created, "report_count": reports, "reporter_count": reports,
            "title": f"A parked EV caught fire {next(_titles)}", "channel": "web",
            "language": "en", "p_actionable": 0.6 if scored else None,
            "priority": 50.0 if scored else None, "band": "P2" if scored else None,
            "sla_due_at": created + timedelta(hours=24),
        }
        columns.update(fields)
        with app.app_context():
            case = Case(**columns)
            case.reports = [Report(
                tracking_code=new_code(), channel="web", language="en", received_at=created,
                claim="A video says a parked EV caught fire by itself in Wuhan.",
                scoring_status="scored" if scored else "unscored", topic=topic,
                p_actionable=0.6 if scored else None) for _ in range(reports)]
            db.session.add(case)
            db.session.commit()
            return case.id

    return make


@pytest.fixture
def make_decision(app):
    """Resolve a stored case with a decision taken `hours_after` its creation (or at `at`)."""

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


@pytest.fixture
def make_decided_case(app):
    """Store a decided case with one report per text (training data); returns the case id."""
    clock = {"at": utcnow() - timedelta(days=30)}

    def make(texts: str | list[str], topic: str, outcome: str = "false", *,
             decided_at=None, status: str = "resolved", model_topic: str | None = None,
             model_version: str | None = None) -> int:
        texts = [texts] if isinstance(texts, str) else texts
        clock["at"] += timedelta(minutes=10)
        when = decided_at or clock["at"]
        with app.app_context():
            case = Case(status=status, topic=topic, outcome=outcome, decided_at=when,
                        report_count=len(texts), created_at=when - timedelta(hours=1))
            for text in texts:
                db.session.add(Report(tracking_code=new_code(), case=case, channel="web",
                                      language="en", claim=text, received_at=case.created_at))
            db.session.add(Decision(case=case, outcome=outcome, final_topic=topic,
                                    decided_at=when, model_topic=model_topic,
                                    model_version=model_version))
            db.session.commit()
            return case.id

    return make
