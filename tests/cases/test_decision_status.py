"""A decision reaches every reporter of the case on the public status page."""

import pytest

from intake.core.extensions import db
from intake.core.models import Case

NOTE = "The video shows a 2021 fire in another city; the car model is different."


@pytest.fixture
def decided(app, make_reported_case, make_user, client_as, claim):
    """A case of three reports that a moderator decided over HTTP; returns (case id, codes)."""
    make_user("mona")
    case_id, codes = make_reported_case(reports=3, contact_email="reader@example.com",
                               contact_consent=True)
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", data={
        "outcome": "false", "final_topic": "battery-safety", "public_note": NOTE,
        "internal_note": "Internal: confirmed with the fire brigade."})
    assert response.status_code == 303
    return case_id, codes


def test_reporters_see_their_case_under_review_while_it_is_claimed(app, client, make_reported_case,
                                                                   make_user, claim):
    make_user("mona")
    case_id, codes = make_reported_case(reports=2)

    def shown(code: str) -> str:
        return client.get(f"/api/v1/reports/{code}").json["status"]

    assert [shown(code) for code in codes] == ["received", "received"]
    claim(case_id, "mona")
    assert [shown(code) for code in codes] == ["under_review", "under_review"]
    html = client.get(f"/status/{codes[1]}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "under review" in html.lower()


@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_reporter_sees_the_outcome_and_note(client, decided, index):
    _case_id, codes = decided
    page = client.get(f"/status/{codes[index]}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<dd id="outcome">False</dd>' in html
    assert NOTE in html
    assert "Internal:" not in html and "reader@example.com" not in html and "mona" not in html


def test_outcome_in_chinese_and_in_json(client, decided):
    _case_id, codes = decided
    html = client.get(f"/status/{codes[0]}", headers={"Accept-Language": "zh"}).get_data(
        as_text=True)
    assert '<dd id="outcome">虚假</dd>' in html and NOTE in html
    body = client.get(f"/api/v1/reports/{codes[1]}").json
    assert body["outcome"] == "false" and body["public_note"] == NOTE


def test_reopening_takes_the_outcome_back(app, client, client_as, decided, make_user):
    case_id, codes = decided
    make_user("root", role="admin", desks=())
    assert client_as("root").post(f"/staff/cases/{case_id}/reopen", data={
        "reason": "新的证据显示视频确实拍摄于本地。", "confirm": "y"}).status_code == 303
    html = client.get(f"/status/{codes[2]}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert 'id="outcome"' not in html and NOTE not in html
    with app.app_context():
        assert db.session.get(Case, case_id).status == "open"
