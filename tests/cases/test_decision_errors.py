"""A refused decision says why at the top, first, and keeps everything the moderator typed."""

import html
import re

import pytest

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}
PUBLIC = "经核实，该视频拍摄于2021年的另一城市，与本次传言无关。" * 20  # a long Chinese note
INTERNAL = "Checked with the fire brigade of Wuhan; the plate in the video is from 2021. " * 10


@pytest.fixture
def mona(make_user):
    make_user("mona")
    make_user("nina")
    return "mona"


def _summary(page: str, summary_id: str) -> str:
    match = re.search(rf'<div class="error-summary" role="alert" tabindex="-1" '
                      rf'id="{summary_id}" autofocus>(.*?)</div>', page, re.S)
    assert match, f"no focused error summary #{summary_id}"
    return html.unescape(match.group(1))


def _kept(page: str, field_id: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>\s*(.*?)</textarea>', page, re.S)
    assert match, f"no textarea #{field_id}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize(("headers", "words"), [(EN, "Choose an outcome"), (ZH, "请选择")])
def test_decision_without_outcome_shows_errors_first_and_keeps_the_notes(
        client_as, make_reported_case, claim, mona, headers, words):
    case_id, _codes = make_reported_case()
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=headers, data={
        "outcome": "", "final_topic": "battery-safety", "public_note": PUBLIC,
        "internal_note": INTERNAL})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = _summary(page, "decision-errors")
    assert words in summary and 'href="#outcome"' in summary
    # The summary comes before everything else on the case page, right under the title.
    assert page.index('id="decision-errors"') < page.index('id="case-facts"')
    assert _kept(page, "public_note") == PUBLIC
    assert _kept(page, "internal_note") == INTERNAL


def test_decision_after_losing_the_claim_keeps_the_notes(app, client_as, make_reported_case, claim,
                                                          mona):
    case_id, _codes = make_reported_case()
    claim(case_id, "nina")  # someone else took it while mona was typing
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety", "public_note": PUBLIC,
        "internal_note": INTERNAL})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "claimed by someone else" in _summary(page, "decision-errors")
    assert _kept(page, "public_note") == PUBLIC and _kept(page, "internal_note") == INTERNAL


@pytest.mark.parametrize(("headers", "words"), [(EN, "Select at least one case"),
                                                (ZH, "请至少选择一个")])
def test_bulk_decide_with_nothing_ticked_returns_to_the_queue_with_the_notes(
        client_as, make_reported_case, mona, headers, words):
    make_reported_case()
    response = client_as("mona").post("/staff/cases/bulk-decide", headers=headers, data={
        "outcome": "misleading", "public_note": PUBLIC, "internal_note": INTERNAL,
        "next": "/staff/queue?desk=battery-safety"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert words in _summary(page, "bulk-errors")
    assert 'id="queue-rows"' in page  # the queue itself, not an error page
    assert _kept(page, "bulk-public-note") == PUBLIC
    assert _kept(page, "bulk-internal-note") == INTERNAL
    assert '<option value="misleading" selected>' in page
    assert re.findall(r'name="next" value="([^"]*)"', page)[0] == "/staff/queue?desk=battery-safety"


def test_bulk_decide_without_outcome_keeps_the_ticks(client_as, make_reported_case, mona):
    ticked = make_reported_case()[0]
    response = client_as("mona").post("/staff/cases/bulk-decide", headers=EN, data={
        "case_id": [str(ticked)], "outcome": "", "public_note": PUBLIC, "next": "/staff/queue"})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose an outcome" in _summary(page, "bulk-errors")
    assert f'id="select-{ticked}" checked' in page
