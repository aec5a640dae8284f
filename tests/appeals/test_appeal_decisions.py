"""Appeals decided by a second moderator or an admin, never the original decider; every
reporter sees the result and the dashboard counts it."""

import pytest

from intake.core.extensions import db
from intake.core.models import Decision

from .appeal_helpers import EN, NOTE, ZH, all_appeals, appeal, audit_rows, case_of, get_page


def test_the_original_decider_can_neither_claim_nor_decide_the_appeal(app, decided_case, client_as):
    case_id, [code] = decided_case()
    appeal(app.test_client(), code)
    mona = client_as("mona")
    claimed = mona.post(f"/staff/cases/{case_id}/claim", headers=EN)
    assert claimed.status_code == 303
    page = get_page(mona, claimed.headers["Location"])
    assert "is an appeal against your own decision" in page
    assert mona.post("/staff/queue/claim-next", headers=EN).status_code == 303
    assert case_of(app, case_id).claimed_by_id is None  # claim-next skipped it
    case_page = get_page(mona, f"/staff/cases/{case_id}")
    assert 'id="appeal-own"' in case_page and 'id="appeal-decide-form"' not in case_page

    response = mona.post(f"/staff/cases/{case_id}/appeal", headers=EN, data={
        "result": "reversed", "new_outcome": "accurate", "public_note": "I was wrong."})
    assert response.status_code == 403
    assert "You took the decision under appeal" in response.get_data(as_text=True)
    assert case_of(app, case_id).status == "appealed" and audit_rows(app, "appeal.decide") == []


def test_a_moderator_needs_the_claim_and_the_normal_decision_form_refuses(app, decided_case,
                                                                          client_as):
    case_id, [code] = decided_case()
    appeal(app.test_client(), code)
    nina = client_as("nina")
    response = nina.post(f"/staff/cases/{case_id}/appeal", headers=EN, data={
        "result": "upheld", "public_note": NOTE})
    assert response.status_code == 409
    assert f"Claim case {case_id} before deciding its appeal." in response.get_data(as_text=True)
    root = client_as("root")
    plain = root.post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "accurate", "final_topic": "battery-safety"})
    assert plain.status_code == 409
    assert "is under appeal: decide the appeal on its page" in plain.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"result": "reversed", "public_note": NOTE}, "Choose the new outcome"),
    ({"result": "reversed", "new_outcome": "false", "public_note": NOTE},
     "The new outcome is the outcome appealed against"),
    ({"result": "upheld"}, "Write a public note"),
    ({"public_note": NOTE}, "Choose whether the decision is upheld or reversed."),
])
def test_bad_appeal_decisions_say_what_to_fix(app, decided_case, client_as, data, message):
    case_id, [code] = decided_case()
    appeal(app.test_client(), code)
    response = client_as("root").post(f"/staff/cases/{case_id}/appeal", headers=EN, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert case_of(app, case_id).status == "appealed"


@pytest.mark.parametrize("decider", ["nina", "root"])
@pytest.mark.parametrize("result", ["upheld", "reversed"])
def test_another_moderator_or_an_admin_decides_and_every_reporter_sees_it(
        app, decided_case, client_as, claim, decider, result):
    case_id, codes = decided_case(reports=2)
    appeal(app.test_client(), codes[1])
    if decider == "nina":
        claim(case_id, "nina")
    note = "New footage shows the car was electric." if result == "reversed" else NOTE
    response = client_as(decider).post(f"/staff/cases/{case_id}/appeal", headers=EN, data={
        "result": result, "new_outcome": "accurate" if result == "reversed" else "",
        "public_note": note})
    assert response.status_code == 303, response.get_data(as_text=True)

    case = case_of(app, case_id)
    assert case.status == "resolved" and case.claimed_by_id is None
    [done] = all_appeals(app)
    assert (done.status, done.result) == ("decided", result)
    with app.app_context():
        current = db.session.scalars(db.select(Decision).where(
            Decision.case_id == case_id, Decision.current.is_(True))).one()
    if result == "reversed":
        assert (case.outcome, case.public_note, done.new_outcome) == ("accurate", note, "accurate")
        assert current.outcome == "accurate"  # the training label follows the appeal
    else:
        assert (case.outcome, case.public_note, done.new_outcome) == ("false", NOTE, None)
        assert current.outcome == "false"
    [event] = audit_rows(app, "appeal.decide")
    assert event.actor_name == decider and event.after["result"] == result

    for code in codes:  # the reporter who appealed and the one who did not
        page = get_page(app.test_client(), f"/status/{code}")
        assert 'id="appeal-status"' in page
        if result == "reversed":
            assert "the decision was reversed" in page and 'id="outcome">Accurate' in page
            assert note in page
        else:
            assert "the decision was upheld" in page and 'id="outcome">False' in page
        zh = get_page(app.test_client(), f"/status/{code}", ZH)
        shown = "维持原处理结论" if result == "upheld" else "改变原处理结论"
        assert f"申诉结果：{shown}" in zh


def test_the_dashboard_countsall_appeals(app, decided_case, client_as, claim):
    upheld_id, [upheld_code] = decided_case()
    reversed_id, [reversed_code] = decided_case()
    open_id, [open_code] = decided_case()
    for code in (upheld_code, reversed_code, open_code):
        assert appeal(app.test_client(), code).status_code == 303
    root = client_as("root")
    assert root.post(f"/staff/cases/{upheld_id}/appeal", data={
        "result": "upheld", "public_note": NOTE}).status_code == 303
    assert root.post(f"/staff/cases/{reversed_id}/appeal", data={
        "result": "reversed", "new_outcome": "misleading", "public_note": NOTE}).status_code == 303
    for who in ("root", "nina"):
        page = get_page(client_as(who), "/staff/dashboard")
        assert 'id="appeals-received">3<' in page and 'id="appeals-upheld">1<' in page
        assert 'id="appeals-reversed">1<' in page and 'id="appeals-open">1<' in page
    zh = get_page(client_as("root"), "/staff/dashboard", ZH)
    assert "申诉" in zh and "维持" in zh and "改判" in zh
