"""Reopen asks why and for confirmation, is audited, and reporters see "under review";
the resolved and merged queue filters show outcomes, not claims or a running SLA."""

import re

import pytest

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}
NOTE = "经核实，视频拍摄于2021年的另一城市。"
REASON = "消防部门提供了新的现场视频，需要重新核实。"


@pytest.fixture
def decided(app, make_reported_case, make_user, client_as, claim):
    make_user("mona")
    case_id, codes = make_reported_case(reports=2)
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", data={
        "outcome": "false", "final_topic": "battery-safety", "public_note": NOTE})
    assert response.status_code == 303
    return case_id, codes


@pytest.mark.parametrize(("data", "headers", "words"), [
    ({}, EN, ["Say why the case is reopened.", "Tick the box to confirm"]),
    ({"reason": REASON}, EN, ["Tick the box to confirm"]),
    ({"confirm": "y"}, ZH, ["请说明重新打开的原因"]),
])
def test_reopen_without_reason_or_confirmation_is_refused(app, client_as, decided, data,
                                                          headers, words):
    case_id, _codes = decided
    response = client_as("mona").post(f"/staff/cases/{case_id}/reopen", data=data,
                                      headers=headers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = re.search(r'id="reopen-errors" autofocus>(.*?)</div>', page, re.S).group(1)
    for word in words:
        assert word in summary
    with app.app_context():
        assert db.session.get_one(Case, case_id).status == "resolved"


@pytest.mark.parametrize(("headers", "shown"), [(EN, "Under review"), (ZH, "核查中")])
def test_reopened_case_is_under_review_for_reporters_and_the_reason_is_audited(
        app, client, client_as, decided, headers, shown):
    case_id, codes = decided
    response = client_as("mona").post(f"/staff/cases/{case_id}/reopen",
                                      data={"reason": REASON, "confirm": "y"})
    assert response.status_code == 303
    page = client.get(f"/status/{codes[1]}", headers=headers).get_data(as_text=True)
    assert f'<dd id="status">{shown}</dd>' in page
    assert NOTE not in page and 'id="outcome"' not in page
    assert client.get(f"/api/v1/reports/{codes[0]}").json["status"] == "under_review"
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent)
                                   .where(AuditEvent.action == "case.reopen")).one()
        assert event.after["reason"] == REASON and event.actor_name == "mona"


def test_resolved_filter_shows_outcomes_without_claims_or_sla(app, client_as, decided,
                                                              make_reported_case):
    case_id, _codes = decided
    page = client_as("mona").get("/staff/queue?status=resolved",
                                 headers=EN).get_data(as_text=True)
    row = re.search(rf'<tr id="case-{case_id}".*?</tr>', page, re.S).group(0)
    assert '<td class="outcome">False</td>' in row
    assert "/claim" not in row and 'class="sla"' not in row and "left" not in row
    assert ">Outcome</th>" in page and ">SLA</th>" not in page and 'id="bulk-claim"' not in page


def test_merged_filter_links_to_the_case_merged_into(app, client_as, make_reported_case, make_user):
    make_user("mona")
    target, _ = make_reported_case()
    source, _ = make_reported_case()
    with app.app_context():
        case = db.session.get_one(Case, source)
        case.status, case.merged_into_id = "merged", target
        db.session.commit()
    page = client_as("mona").get("/staff/queue?status=merged", headers=EN).get_data(
        as_text=True)
    row = re.search(rf'<tr id="case-{source}".*?</tr>', page, re.S).group(0)
    assert f"Merged into case {target}" in row and "/claim" not in row
