"""A refused decision in a real browser: errors on top and focused, nothing typed lost."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users import accounts as users

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
NOTE = {"zh": "经核实，该视频拍摄于2021年的另一城市，与本次传言无关。" * 8,
        "en": "The video was filmed in another city in 2021; it has nothing to do with this. " * 8}


@pytest.fixture
def held_case(app):
    """A moderator holding a long case, so the decision form is far down the page."""
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        case = Case(status="open", topic="battery-safety", priority=60.0, band="P2",
                    channel="web", language="zh", report_count=1, p_actionable=0.7,
                    title="视频称某品牌电动车在地下车库充电时自燃", created_at=now,
                    sla_due_at=now + timedelta(hours=24))
        db.session.add(case)
        db.session.commit()
        return case.id


def _sign_in(page, live_server, lang: str) -> None:
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_decision_without_outcome_focuses_the_errors_and_keeps_the_notes(
        page, live_server, held_case, artifacts, lang):
    _sign_in(page, live_server, lang)
    page.goto(f"{live_server}/staff/cases/{held_case}")
    with page.expect_navigation():
        page.locator("#claim-button").click()
    page.locator("#public_note").fill(NOTE[lang])
    page.locator("#internal_note").fill(NOTE[lang][:80])
    with page.expect_navigation() as navigation:
        page.locator("#decide-form button[type=submit]").click()
    assert navigation.value.status == 400

    page.wait_for_function("document.activeElement && document.activeElement.id "
                           "=== 'decision-errors'")
    summary = page.locator("#decision-errors")
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 800  # in view without scrolling
    assert page.input_value("#public_note") == NOTE[lang]
    assert page.input_value("#internal_note") == NOTE[lang][:80]
    page.screenshot(path=artifacts / f"decision-errors-{lang}-1-case.png")
    summary.locator("a").first.click()  # the link leads to the field to fix
    assert page.evaluate("document.activeElement.id") == "outcome"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bulk_decide_with_nothing_ticked_stays_on_the_queue(page, live_server, held_case,
                                                            artifacts, lang):
    _sign_in(page, live_server, lang)
    page.goto(f"{live_server}/staff/queue")
    page.locator("#bulk-outcome").select_option("misleading")
    page.locator("#bulk-public-note").fill(NOTE[lang])
    with page.expect_navigation() as navigation:
        page.locator("#bulk-submit").click()
    assert navigation.value.status == 400

    page.wait_for_function("document.activeElement && document.activeElement.id "
                           "=== 'bulk-errors'")
    assert page.locator(f"#case-{held_case}").is_visible()  # the queue, not an error page
    assert page.input_value("#bulk-public-note") == NOTE[lang]
    assert page.input_value("#bulk-outcome") == "misleading"
    page.screenshot(path=artifacts / f"decision-errors-{lang}-2-bulk.png", full_page=True)
