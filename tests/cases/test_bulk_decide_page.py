"""Deciding several cases at once from the queue page: bad input, claims, outcomes."""

import pytest

from intake.core.extensions import db
from intake.core.models import Case

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def mona(make_user):
    make_user("mona")


def _outcome(app, case_id: int) -> str | None:
    with app.app_context():
        return db.session.get_one(Case, case_id).outcome


@pytest.mark.parametrize("case_ids, message", [
    ([], "Select at least one case"),
    (["12x"], "not valid case numbers"),
    (["²"], "not valid case numbers"),
    (["99999999999999999999"], "not valid case numbers"),
    (["1"] * 101, "at most 100 cases"),
])
def test_bad_bulk_input_is_400(client_as, case_ids, message):
    response = client_as("mona").post("/staff/cases/bulk-decide", headers=EN,
                                      data={"case_id": case_ids, "outcome": "false"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_bulk_decide_over_http(app, client_as, make_reported_case, claim):
    mine = [make_reported_case()[0] for _ in range(2)]
    unclaimed = make_reported_case()[0]
    for case_id in mine:
        claim(case_id, "mona")
    response = client_as("mona").post("/staff/cases/bulk-decide", headers=EN, data={
        "case_id": [str(c) for c in [*mine, unclaimed]], "outcome": "spam",
        "public_note": "Not a real event."})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 of 3 cases decided" in page and f"Claim case {unclaimed} before" in page
    assert [_outcome(app, c) for c in [*mine, unclaimed]] == ["spam", "spam", None]
    response = client_as("mona").post("/staff/cases/bulk-decide", headers=EN,
                                      data={"case_id": [str(unclaimed)], "outcome": "nope"})
    assert response.status_code == 400



def test_queue_page_offers_a_bulk_decision_that_works(app, client_as, make_reported_case, claim):
    case_ids = [make_reported_case()[0] for _ in range(2)]
    for case_id in case_ids:
        claim(case_id, "mona")
    client = client_as("mona")
    page = client.get("/staff/queue", headers=EN).get_data(as_text=True)
    form = page.split('id="queue-rows"')[1].split("</form>")[0]
    for case_id in case_ids:
        assert f'name="case_id" value="{case_id}"' in form
    assert 'formaction="/staff/cases/bulk-decide"' in form and 'name="outcome"' in form
    response = client.post("/staff/cases/bulk-decide", headers=EN, data={
        "case_id": [str(c) for c in case_ids], "outcome": "accurate"})
    assert response.status_code == 200 and "2 of 2 cases decided" in response.get_data(
        as_text=True)
    page = client.get("/staff/queue?status=resolved", headers=EN).get_data(as_text=True)
    assert 'id="bulk-decide"' not in page

