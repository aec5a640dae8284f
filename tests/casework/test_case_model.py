"""The case page of a case the real starter model scored: topic, P(actionable), terms, priority."""

import pytest

from intake.extensions import db
from intake.models import AuditEvent, Case

EN = {"Accept-Language": "en"}


@pytest.fixture
def app(scoring_app):
    """Reports made in these tests are scored on intake."""
    return scoring_app


def test_case_page_of_a_scored_case_shows_the_model_and_priority(
        app, client_as, make_case, claim, make_user):
    make_user("mona")
    case_id, _codes = make_case(topic=None, claim="An EV battery caught fire while charging "
                                                  "in a garage; the video is old footage.")
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    with app.app_context():
        report = db.session.get(Case, case_id).reports[0]
        topic_term = report.reasons["topic_terms"][0][0]
        actionable_term = report.reasons["actionable_terms"][0][0]
    assert 'id="model-topic">' in page and "v-test" in page
    assert "Terms behind the topic" in page and topic_term in page and actionable_term in page
    assert 'id="priority-components"' in page and "Waiting time" in page
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety"})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.decide")).one()
        assert event.after["model_topic"] == report.topic
