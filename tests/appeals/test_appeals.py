"""Appeals filed from the status page: within APPEAL_DAYS of the decision, with a reason,
one open appeal a case and one appeal a reporter."""

from datetime import timedelta

import pytest

from intake.core.clock import to_local
from intake.core.extensions import db
from intake.core.models import Case, utcnow

from .appeal_helpers import EN, NOTE, REASON, ZH, all_appeals, appeal, audit_rows, case_of, get_page


def test_an_appeal_within_the_window_puts_the_case_back_in_the_queue(app, decided_case, client_as):
    case_id, [code] = decided_case()
    before = case_of(app, case_id)
    status_page = get_page(app.test_client(), f"/status/{code}")
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
    [filed] = all_appeals(app)
    assert (filed.status, filed.reason, filed.original_outcome) == ("open", REASON, "false")
    [event] = audit_rows(app, "case.appeal")
    assert event.target_id == str(case_id) and event.after["status"] == "appealed"

    shown = get_page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-status"' in shown and "An appeal was received" in shown
    assert 'id="appeal-form"' not in shown and 'id="outcome">False' in shown
    queue = get_page(client_as("nina"), "/staff/queue")
    assert f'id="case-{case_id}"' in queue and 'class="appeal-tag">Appeal' in queue
    only_appeals = get_page(client_as("nina"), "/staff/queue?status=appealed")
    assert f'id="case-{case_id}"' in only_appeals


@pytest.mark.parametrize("days, allowed", [(182, True), (184, False)])
def test_the_appeal_window_is_appeal_days_after_the_decision(app, decided_case, days, allowed):
    case_id, [code] = decided_case()
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
    assert case_of(app, case_id).status == "resolved" and all_appeals(app) == []
    page = get_page(app.test_client(), f"/status/{code}", ZH)
    assert 'id="appeal-closed"' in page and "申诉期限已于" in page
    assert 'id="appeal-form"' not in page


def test_an_undecided_case_cannot_be_appealed(app, appeal_staff, make_reported_case):
    _case_id, [code] = make_reported_case()
    page = get_page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-form"' not in page
    response = appeal(app.test_client(), code, headers=EN)
    assert response.status_code == 409
    assert "has not been decided yet" in response.get_data(as_text=True)
    zh = appeal(app.test_client(), code, headers=ZH)
    assert zh.status_code == 409 and "尚未处理完毕" in zh.get_data(as_text=True)
    assert all_appeals(app) == []


@pytest.mark.parametrize("reason, message", [
    ("   ", "Say why you disagree with the decision."),
    ("x" * 2001, "Use at most 2000 characters for the reason."),
])
def test_the_reason_is_required_and_limited(app, decided_case, reason, message):
    _case_id, [code] = decided_case()
    response = appeal(app.test_client(), code, reason, headers=EN)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert all_appeals(app) == []


def test_a_second_appeal_while_one_is_open_is_told_so(app, decided_case):
    case_id, [first, second] = decided_case(reports=2)
    assert appeal(app.test_client(), first, headers=EN).status_code == 303
    client = app.test_client()
    response = appeal(client, second, "I disagree too.", headers=EN)
    assert response.status_code == 303  # not an error: the page says an appeal is open
    page = get_page(client, f"/status/{second}")
    assert 'id="flash"' in page and "An appeal on this case is already open" in page
    assert len(all_appeals(app)) == 1


def test_unknown_or_malformed_codes_are_not_found(app, appeal_staff):
    assert appeal(app.test_client(), "RD-AAAA-AAAA").status_code == 404
    assert appeal(app.test_client(), "nonsense").status_code == 404


def test_a_reporter_does_not_appeal_the_same_decision_twice(app, decided_case, client_as):
    case_id, [code] = decided_case()
    appeal(app.test_client(), code)
    client_as("root").post(f"/staff/cases/{case_id}/appeal", data={
        "result": "upheld", "public_note": NOTE})
    page = get_page(app.test_client(), f"/status/{code}")
    assert 'id="appeal-closed"' in page and "You already appealed this decision" in page
    response = appeal(app.test_client(), code, headers=EN)
    assert response.status_code == 409 and len(all_appeals(app)) == 1
