"""Bulk claim and claim-in-place in a real browser, in both languages."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users import accounts as users

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
WORDS = {"zh": ("你已认领 2 个", "你"), "en": ("You hold 2 of the 2 selected cases", "You")}


@pytest.fixture
def queue_cases(app):
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        cases = [Case(status="open", topic="battery-safety", priority=80.0 - i, band="P1",
                      channel="web", language="zh", report_count=1, p_actionable=0.6,
                      title=f"网传电动车电池批量起火 {i}", created_at=now - timedelta(hours=1),
                      sla_due_at=now + timedelta(hours=3)) for i in range(3)]
        db.session.add_all(cases)
        db.session.commit()
        return [c.id for c in cases]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bulk_claim_then_claim_in_place(page, live_server, queue_cases, artifacts, lang):
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.goto(f"{live_server}/staff/queue")
    first, second, third = queue_cases
    page.check(f"#select-{first}")
    page.check(f"#select-{second}")
    with page.expect_navigation():
        page.locator("#bulk-claim").click()
    assert "/staff/queue" in page.url
    assert WORDS[lang][0] in page.locator(".flash").first.inner_text()
    assert page.is_checked(f"#select-{first}") and page.is_checked(f"#select-{second}")
    page.screenshot(path=artifacts / f"bulk-claim-{lang}-1-claimed.png", full_page=True)

    with page.expect_navigation():
        page.locator(f"#case-{third} td.claim button").click()
    assert "/staff/queue" in page.url and "/staff/cases/" not in page.url
    assert page.locator(f"#case-{third} td.claim").inner_text().startswith(WORDS[lang][1])
    page.screenshot(path=artifacts / f"bulk-claim-{lang}-2-in-place.png", full_page=True)
