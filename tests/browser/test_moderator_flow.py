"""A moderator's path in a real browser: queue, claim, the model's reasons, decide; the reporter
then sees the outcome on the status page."""

import json
import urllib.request

import pytest

from intake.core.extensions import db
from intake.core.models import Decision, Report
from intake.users import accounts as users

from .steps import STEP_SECONDS, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
CLAIM = ("Viral video: an EV battery caught fire while charging in an underground garage "
         "and the fire spread to the whole building.")
NOTE = "The video is from 2021 and shows a different car in another city."
# Other work on the moderator's desks, so the filters have something to leave out.
OTHER_REPORTS = [
    "A post says every connected car uploads its in-car camera video to a foreign server.",
    "A post says robotaxis in Wuhan drive with no safety driver and cannot be stopped.",
]


@pytest.fixture
def desk(app, model_blob, register_model):
    """Register the starter model and a moderator of the battery and vehicle-data desks."""
    register_model(app, model_blob, "v-browser")
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety", "vehicle-data"],
                          actor="cli:test")
        db.session.commit()


def _api_report(base: str, claim: str) -> None:
    request = urllib.request.Request(f"{base}/api/v1/reports", method="POST",
                                     data=json.dumps({"claim": claim}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=STEP_SECONDS) as response:
        assert response.status == 201


def _case_of(app, code: str) -> int:
    with app.app_context():
        return db.session.scalars(
            db.select(Report.case_id).where(Report.tracking_code == code)).one()


def test_moderator_decides_and_the_reporter_sees_it(page, live_server, app, desk, artifacts):
    # The reporter: the public form, in English.
    page.goto(f"{live_server}/report")
    page.fill("#claim", CLAIM)
    page.fill("#explanation", "I saw the same clip years ago with another licence plate.")
    page.check("#good_faith")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    code = page.locator("#tracking-code").inner_text().strip()
    for claim in OTHER_REPORTS:
        _api_report(live_server, claim)

    # The moderator signs in and narrows the queue to the battery desk.
    page.context.clear_cookies()
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server}/staff/queue")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() >= 2  # the battery case and the vehicle-data one
    page.select_option("#f-desk", "battery-safety")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter", exact=True).click()
    assert "desk=battery-safety" in page.url
    assert rows.count() == 1
    assert rows.first.get_attribute("data-case-id") == str(_case_of(app, code))
    page.screenshot(path=artifacts / "moderator-1-queue-filtered.png", full_page=True)

    # Claim the top case in place (the queue stays), then open it: the case page shows the
    # model's topic and its reasons.
    with page.expect_navigation():
        rows.first.get_by_role("button", name="Claim").click()
    assert "/staff/queue" in page.url and rows.first.locator("td.claim").inner_text().startswith(
        "You")
    with page.expect_navigation():
        rows.first.locator("td.case-title a").click()
    assert "/staff/cases/" in page.url
    assert "mona" in page.locator("#claimed-by").inner_text()
    assert page.locator("#model-topic").inner_text().strip() == "Battery & charging safety"
    reasons = page.locator("#reports .claim mark.why-topic")
    assert reasons.count() > 0, "the words behind the model's topic are marked in the claim"
    assert page.locator("#priority-components tbody tr").count() == 5
    assert code in page.locator("#reports").inner_text()
    page.screenshot(path=artifacts / "moderator-2-case.png", full_page=True)

    # Decide with a public note.
    page.select_option("#outcome", "false")
    page.fill("#public_note", NOTE)
    page.fill("#internal_note", "Matched against the 2021 original.")
    with page.expect_navigation():
        page.get_by_role("button", name="Decide", exact=True).click()
    assert page.locator("#case-status").inner_text().strip() == "Resolved"
    assert page.locator("#case-outcome").inner_text().strip() == "False"
    page.screenshot(path=artifacts / "moderator-3-decided.png", full_page=True)
    case_url = page.url
    page.goto(f"{live_server}/lang/zh?next={case_url.removeprefix(live_server)}")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#case-outcome").inner_text().strip() == "虚假"
    page.screenshot(path=artifacts / "moderator-3-decided-zh.png", full_page=True)

    # The reporter's status page shows the outcome and the note, nothing internal.
    page.context.clear_cookies()
    page.goto(f"{live_server}/status/{code}")
    assert page.locator("#status").inner_text().strip() == "Resolved"
    assert page.locator("#outcome").inner_text().strip() == "False"
    assert page.locator("#public-note").inner_text().strip() == NOTE
    assert "2021 original" not in page.content() and "mona" not in page.content()
    page.screenshot(path=artifacts / "moderator-4-reporter-status.png", full_page=True)

    with app.app_context():
        [decision] = db.session.scalars(db.select(Decision)).all()
        assert (decision.outcome, decision.model_version) == ("false", "v-browser")
        assert decision.model_topic == "battery-safety" and decision.final_topic
