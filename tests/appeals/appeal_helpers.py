"""Shared steps of the appeal tests: decide a case through the case page, appeal it, read
the appeals, audit rows and pages that result."""

from intake.appeals.models import Appeal
from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}

NOTE = "The video is from 2021 and shows a petrol car in another city."
REASON = "The moderator missed the fire brigade's statement that the car was electric."


def decide(client, case_id: int, outcome: str = "false") -> None:
    """Decide the case as the logged-in moderator of client (who holds its claim)."""
    response = client.post(f"/staff/cases/{case_id}/decide", data={
        "outcome": outcome, "final_topic": "battery-safety", "public_note": NOTE})
    assert response.status_code == 303, response.get_data(as_text=True)


def appeal(client, code: str, reason: str = REASON, headers: dict | None = None):
    """Post an appeal from the status page of the tracking code."""
    return client.post(f"/status/{code}/appeal", data={"reason": reason}, headers=headers or {})


def case_of(app, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def all_appeals(app) -> list[Appeal]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(Appeal).order_by(Appeal.id)))
        db.session.expunge_all()
        return rows


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return rows


def get_page(client, path: str, headers=EN) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)
