"""A moderator works the desk queue in a real browser, by keyboard, in both languages."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users import accounts as users
from intake.users.models import User

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def desk(app):
    """A moderator of two desks and a small queue: one overdue P1 case on top."""
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety", "vehicle-data"],
                          actor="cli:test")
        db.session.commit()
        top = Case(status="open", topic="battery-safety", priority=88.0, band="P1",
                   channel="hotline", language="zh", report_count=12, p_actionable=0.9,
                   title="视频称某品牌电动车在地下车库充电时自燃",
                   created_at=now - timedelta(hours=6), sla_due_at=now - timedelta(hours=2))
        others = [Case(status="open", topic=topic, priority=prio, band=band, channel="web",
                       language=lang, report_count=1, p_actionable=0.4, title=title,
                       created_at=now - timedelta(hours=1), sla_due_at=now + timedelta(hours=20))
                  for topic, prio, band, lang, title in (
                      ("vehicle-data", 55.0, "P2", "en", "A carmaker sells in-car camera footage"),
                      ("battery-safety", 35.0, "P3", "zh", "网传某品牌电池包存在批量缺陷"))]
        db.session.add_all([top, *others])
        db.session.commit()
        return top.id


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/staff/login")
    # Fill by field rather than relying on autofocus timing on a loaded machine.
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.wait_for_url(f"{live_server}/staff/queue")  # a moderator lands on the queue


def test_filter_and_claim_the_top_case_by_keyboard(page, live_server, app, desk, artifacts):
    _sign_in(page, live_server)
    page.get_by_role("link", name="Queue", exact=True).click()
    page.wait_for_url(f"{live_server}/staff/queue")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    top = page.locator(f"#case-{desk}")
    assert "overdue" in top.get_attribute("class") and "Overdue by" in top.inner_text()
    assert top.evaluate("r => getComputedStyle(r).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=artifacts / "queue-en-1-desk.png", full_page=True)

    page.get_by_label("Band").select_option("P1")
    page.get_by_role("button", name="Filter").press("Enter")
    page.wait_for_url("**/staff/queue?*band=P1*")
    assert rows.count() == 1

    claim = page.get_by_role("button", name=f"Claim #{desk}")
    claim.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with app.app_context():
        holder = db.session.get(Case, desk).claimed_by_id
        assert holder == db.session.scalars(db.select(User.id).where(
            User.username == "mona")).one()
    if "/staff/queue" in page.url:  # without the case page, the queue says who holds it
        assert page.get_by_role("status").first.inner_text().startswith(f"You hold case {desk}")
        page.screenshot(path=artifacts / "queue-en-2-claimed.png", full_page=True)


def test_queue_in_chinese(page, live_server, desk, artifacts):
    _sign_in(page, live_server)
    page.get_by_role("link", name="中文", exact=True).click()
    page.goto(f"{live_server}/staff/queue")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    top = page.locator(f"#case-{desk}")
    assert "电池与充电安全" in top.inner_text() and "已逾期" in top.inner_text()
    assert page.get_by_role("button", name="认领下一个案件").is_visible()
    page.screenshot(path=artifacts / "queue-zh-1-desk.png", full_page=True)
