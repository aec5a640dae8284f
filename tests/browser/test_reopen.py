"""Reopen in a real browser: a reason and a confirmation; then the reporter sees "under review"."""

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
SHOWN = {"zh": "核查中", "en": "Under review"}


@pytest.fixture
def resolved(app):
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        case = Case(status="resolved", topic="battery-safety", outcome="false", decided_at=now,
                    public_note="视频拍摄于2021年的另一城市。", title="网传电动车车库自燃",
                    created_at=now, report_count=1, channel="web", language="zh")
        code = new_code()
        case.reports = [Report(tracking_code=code, channel="web", language="zh",
                               received_at=now, claim="网传电动车在车库充电时自燃。")]
        db.session.add(case)
        db.session.flush()
        db.session.add(Decision(case_id=case.id, decided_at=now, outcome="false",
                                final_topic="battery-safety"))
        db.session.commit()
        return case.id, code


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reopen_asks_why_and_reporters_see_under_review(page, live_server, resolved,
                                                        artifacts, lang):
    case_id, code = resolved
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.goto(f"{live_server}/staff/cases/{case_id}")
    with page.expect_navigation() as navigation:
        page.locator("#reopen-form button[type=submit]").click()
    assert navigation.value.status == 400
    page.wait_for_function("document.activeElement.id === 'reopen-errors'")
    page.screenshot(path=artifacts / f"reopen-{lang}-1-refused.png", full_page=True)

    page.locator("#reason").fill("消防部门提供了新的现场视频。" if lang == "zh"
                                 else "The fire brigade sent new footage.")
    page.check("#confirm")
    with page.expect_navigation():
        page.locator("#reopen-form button[type=submit]").click()
    page.goto(f"{live_server}/status/{code}")
    assert page.locator("#status").inner_text().strip() == SHOWN[lang]
    assert page.locator("#outcome").count() == 0
    page.screenshot(path=artifacts / f"reopen-{lang}-2-status.png", full_page=True)
