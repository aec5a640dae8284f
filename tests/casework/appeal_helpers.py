"""Shared steps of the appeal tests: decide a case through the case page, appeal it."""

from intake.core.extensions import db
from intake.core.models import Case

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
