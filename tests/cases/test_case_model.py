"""The case page of a case the real starter model scored: topic, P(actionable), terms, priority."""

import re

import pytest

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case

EN = {"Accept-Language": "en"}


@pytest.fixture
def app(scoring_app):
    """Reports made in these tests are scored on intake."""
    return scoring_app


def test_case_page_of_a_scored_case_shows_the_model_and_priority(
        app, client_as, make_reported_case, claim, make_user):
    make_user("mona")
    case_id, _codes = make_reported_case(topic=None,
                                         claim="An EV battery caught fire while charging "
                                                  "in a garage; the video is old footage.")
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    with app.app_context():
        report = db.session.get(Case, case_id).reports[0]
        topic_word = report.reasons["spans"]["topic"][0]["text"]
    assert 'id="model-topic">' in page and "v-test" in page
    # The claim itself carries the reasons: the strongest topic word is marked in place.
    assert "words that pushed towards the topic" in page
    marked = " ".join(re.findall(r'<mark class="why why-topic[^"]*"[^>]*>([^<]*)</mark>', page))
    assert all(word in marked for word in topic_word.split()), (topic_word, marked)
    assert 'id="priority-components"' in page and "Waiting time" in page
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety"})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.decide")).one()
        assert event.after["model_topic"] == report.topic
