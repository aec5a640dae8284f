"""Bulk claim and claim-in-place: work the queue without leaving it."""

import re

import pytest

from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Case

EN = {"Accept-Language": "en"}


def _holder(app, case_id: int):
    with app.app_context():
        return db.session.get_one(Case, case_id).claimed_by_id


def test_claiming_from_a_row_stays_on_the_queue(app, client, make_user, login, make_case):
    make_user("mona")
    login("mona")
    case_id = make_case()
    page = client.get("/staff/queue?band=P2").get_data(as_text=True)
    action = re.search(rf'formaction="([^"]*/cases/{case_id}/claim[^"]*)"', page).group(1)

    response = client.post(action.replace("&amp;", "&"), data={"next": "/staff/queue?band=P2"})

    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/queue?band=P2#case-{case_id}"
    assert _holder(app, case_id) is not None
    row = client.get("/staff/queue?band=P2", headers=EN).get_data(as_text=True)
    assert re.search(rf'id="case-{case_id}".*?<td class="claim">\s*You', row, re.S)


@pytest.mark.parametrize(("headers", "words"), [(EN, "You hold 2 of the 3 selected cases"),
                                                ({"Accept-Language": "zh"}, "你已认领 2 个")])
def test_bulk_claim_takes_the_free_cases_and_says_who_holds_the_rest(
        app, client, make_user, login, make_case, user_named, headers, words):
    make_user("mona")
    make_user("nina")
    free = [make_case(), make_case()]
    taken = make_case()
    with app.app_context():
        assert claims.claim(taken, user_named("nina")).ok
        db.session.commit()  # the view's commit
    login("mona")

    response = client.post("/staff/queue/claim-selected", headers=headers, data={
        "case_id": [str(i) for i in [*free, taken]], "next": "/staff/queue"})

    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == f"/staff/queue?ticked={free[0]},{free[1]}#bulk-decide"
    with app.app_context():
        mona = user_named("mona").id
    assert [_holder(app, i) for i in free] == [mona, mona]
    assert _holder(app, taken) != mona
    page = client.get(location.split("#")[0], headers=headers).get_data(as_text=True)
    assert words in page and "nina" in page
    for case_id in free:  # ticked again, ready for bulk decide
        assert f'id="select-{case_id}" checked' in page
    assert f'id="select-{taken}" checked' not in page


def test_bulk_claim_with_nothing_ticked_says_what_to_do(client, make_user, login, make_case):
    make_user("mona")
    login("mona")
    make_case()
    response = client.post("/staff/queue/claim-selected", headers=EN,
                           data={"next": "/staff/queue"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Select at least one case to claim" in response.get_data(as_text=True)


@pytest.mark.parametrize("ticked", ["²,1", "9" * 40, "abc,,"])
def test_odd_ticked_values_are_ignored_not_a_500(client, make_user, login, make_case, ticked):
    make_user("mona")
    login("mona")
    make_case()
    assert client.get(f"/staff/queue?ticked={ticked}").status_code == 200
