"""Appeals: filed from the status page within APPEAL_DAYS, decided by a second moderator."""

from datetime import timedelta

import pytest

from intake.appeals.models import Appeal
from intake.audit.models import AuditEvent
from intake.core.clock import to_local
from intake.core.extensions import db
from intake.core.models import Case, Decision, utcnow

from .appeal_helpers import NOTE, REASON, appeal, case_of, decide

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}


@pytest.fixture
def staff(make_user):
    make_user("mona")  # takes the first decision
    make_user("nina")  # the same desk: may decide the appeal
    make_user("root", role="admin", desks=())


@pytest.fixture
def decided(app, staff, make_reported_case, client_as, claim):
    """A case of `reports` reports that mona decided "false"; returns (case id, codes)."""

    def make(reports: int = 1, outcome: str = "false"):
        case_id, codes = make_reported_case(reports=reports)
        claim(case_id, "mona")
        decide(client_as("mona"), case_id, outcome)
        return case_id, codes

    return make


def _appeals(app) -> list[Appeal]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(Appeal).order_by(Appeal.id)))
        db.session.expunge_all()
        return rows


def _audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return rows


def _page(client, path: str, headers=EN) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_an_appeal_within_the_window_puts_the_case_back_in_the_queue(app, decided, client_as):
    case_id, [code] = decided()
    before = case_of(app, case_id)
    status_page = _page(app.test_client(), f"/status/{code}")
    with app.app_context():
        until = to_local(before.decided_at + timedelta(days=183)).strftime("%Y-%m-%d")
    assert 'id="appeal-form"' in status_page and f"until {until}" in status_page

    response = appeal(app.test_client(), code, headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/status/{code}#appeal")
    case = case_of(app, case_id)
    assert case.status == "appealed" and case.outcome == "false"  # the decision stands
    assert case.priority_components["appeal"] == 25 and case.priority >= 25
    assert case.appealed_at is not None and case.sla_due_at > case.appealed_at
    [filed] = _appeals(app)
    assert (filed.status, filed.reason, filed.original_outcome) == ("open", REASON, "false")
    [event] = _audit(app, "case.appeal")
    assert event.target_id == str(case_id) and event.after["status"] == "appealed"

    shown = _page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-status"' in shown and "An appeal was received" in shown
    assert 'id="appeal-form"' not in shown and 'id="outcome">False' in shown
    queue = _page(client_as("nina"), "/staff/queue")
    assert f'id="case-{case_id}"' in queue and 'class="appeal-tag">Appeal' in queue
    only_appeals = _page(client_as("nina"), "/staff/queue?status=appealed")
    assert f'id="case-{case_id}"' in only_appeals


@pytest.mark.parametrize("days, allowed", [(182, True), (184, False)])
def test_the_appeal_window_is_appeal_days_after_the_decision(app, decided, days, allowed):
    case_id, [code] = decided()
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.decided_at = utcnow() - timedelta(days=days)
        db.session.commit()
        ended = to_local(case.decided_at + timedelta(days=183)).strftime("%Y-%m-%d")
    response = appeal(app.test_client(), code, headers=EN)
    if allowed:
        assert response.status_code == 303
        assert case_of(app, case_id).status == "appealed"
        return
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert f"The time to appeal ended on {ended}" in text and "183 days" in text
    assert case_of(app, case_id).status == "resolved" and _appeals(app) == []
    page = _page(app.test_client(), f"/status/{code}", ZH)
    assert 'id="appeal-closed"' in page and "申诉期限已于" in page
    assert 'id="appeal-form"' not in page


def test_an_undecided_case_cannot_be_appealed(app, staff, make_reported_case):
    _case_id, [code] = make_reported_case()
    page = _page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-form"' not in page
    response = appeal(app.test_client(), code, headers=EN)
    assert response.status_code == 409
    assert "has not been decided yet" in response.get_data(as_text=True)
    zh = appeal(app.test_client(), code, headers=ZH)
    assert zh.status_code == 409 and "尚未处理完毕" in zh.get_data(as_text=True)
    assert _appeals(app) == []


@pytest.mark.parametrize("reason, message", [
    ("   ", "Say why you disagree with the decision."),
    ("x" * 2001, "Use at most 2000 characters for the reason."),
])
def test_the_reason_is_required_and_limited(app, decided, reason, message):
    _case_id, [code] = decided()
    response = appeal(app.test_client(), code, reason, headers=EN)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _appeals(app) == []


def test_a_second_appeal_while_one_is_open_is_told_so(app, decided):
    case_id, [first, second] = decided(reports=2)
    assert appeal(app.test_client(), first, headers=EN).status_code == 303
    client = app.test_client()
    response = appeal(client, second, "I disagree too.", headers=EN)
    assert response.status_code == 303  # not an error: the page says an appeal is open
    page = _page(client, f"/status/{second}")
    assert 'id="flash"' in page and "An appeal on this case is already open" in page
    assert len(_appeals(app)) == 1


def test_unknown_or_malformed_codes_are_not_found(app, staff):
    assert appeal(app.test_client(), "RD-AAAA-AAAA").status_code == 404
    assert appeal(app.test_client(), "nonsense").status_code == 404


def test_the_original_decider_can_neither_claim_nor_decide_the_appeal(app, decided, client_as):
    case_id, [code] = decided()
    appeal(app.test_client(), code)
    mona = client_as("mona")
    claimed = mona.post(f"/staff/cases/{case_id}/claim", headers=EN)
    assert claimed.status_code == 303
    page = _page(mona, claimed.headers["Location"])
    assert "is an appeal against your own decision" in page
    assert mona.post("/staff/queue/claim-next", headers=EN).status_code == 303
    assert case_of(app, case_id).claimed_by_id is None  # claim-next skipped it
    case_page = _page(mona, f"/staff/cases/{case_id}")
    assert 'id="appeal-own"' in case_page and 'id="appeal-decide-form"' not in case_page

    response = mona.post(f"/staff/cases/{case_id}/appeal", headers=EN, data={
        "result": "reversed", "new_outcome": "accurate", "public_note": "I was wrong."})
    assert response.status_code == 403
    assert "You took the decision under appeal" in response.get_data(as_text=True)
    assert case_of(app, case_id).status == "appealed" and _audit(app, "appeal.decide") == []


def test_a_moderator_needs_the_claim_and_the_normal_decision_form_refuses(app, decided,
                                                                          client_as):
    case_id, [code] = decided()
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
def test_bad_appeal_decisions_say_what_to_fix(app, decided, client_as, data, message):
    case_id, [code] = decided()
    appeal(app.test_client(), code)
    response = client_as("root").post(f"/staff/cases/{case_id}/appeal", headers=EN, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert case_of(app, case_id).status == "appealed"


@pytest.mark.parametrize("decider", ["nina", "root"])
@pytest.mark.parametrize("result", ["upheld", "reversed"])
def test_another_moderator_or_an_admin_decides_and_every_reporter_sees_it(
        app, decided, client_as, claim, decider, result):
    case_id, codes = decided(reports=2)
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
    [done] = _appeals(app)
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
    [event] = _audit(app, "appeal.decide")
    assert event.actor_name == decider and event.after["result"] == result

    for code in codes:  # the reporter who appealed and the one who did not
        page = _page(app.test_client(), f"/status/{code}")
        assert 'id="appeal-status"' in page
        if result == "reversed":
            assert "the decision was reversed" in page and 'id="outcome">Accurate' in page
            assert note in page
        else:
            assert "the decision was upheld" in page and 'id="outcome">False' in page
        zh = _page(app.test_client(), f"/status/{code}", ZH)
        shown = "维持原处理结论" if result == "upheld" else "改变原处理结论"
        assert f"申诉结果：{shown}" in zh


def test_the_dashboard_counts_appeals(app, decided, client_as, claim):
    upheld_id, [upheld_code] = decided()
    reversed_id, [reversed_code] = decided()
    open_id, [open_code] = decided()
    for code in (upheld_code, reversed_code, open_code):
        assert appeal(app.test_client(), code).status_code == 303
    root = client_as("root")
    assert root.post(f"/staff/cases/{upheld_id}/appeal", data={
        "result": "upheld", "public_note": NOTE}).status_code == 303
    assert root.post(f"/staff/cases/{reversed_id}/appeal", data={
        "result": "reversed", "new_outcome": "misleading", "public_note": NOTE}).status_code == 303
    for who in ("root", "nina"):
        page = _page(client_as(who), "/staff/dashboard")
        assert 'id="appeals-received">3<' in page and 'id="appeals-upheld">1<' in page
        assert 'id="appeals-reversed">1<' in page and 'id="appeals-open">1<' in page
    zh = _page(client_as("root"), "/staff/dashboard", ZH)
    assert "申诉" in zh and "维持" in zh and "改判" in zh


def test_a_reporter_does_not_appeal_the_same_decision_twice(app, decided, client_as):
    case_id, [code] = decided()
    appeal(app.test_client(), code)
    client_as("root").post(f"/staff/cases/{case_id}/appeal", data={
        "result": "upheld", "public_note": NOTE})
    page = _page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-closed"' in page and "You already appealed this decision" in page
    response = appeal(app.test_client(), code, headers=EN)
    assert response.status_code == 409 and len(_appeals(app)) == 1
