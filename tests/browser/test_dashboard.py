"""An admin signs in and reads the desk dashboard and the audit trail in a real browser."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users

from .steps import sign_in

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def desk_history(app):
    """An admin, and two weeks of cases and decisions on two desks."""
    now = utcnow()
    with app.app_context():
        users.create_user("root", PASSWORD, "admin", actor="cli:test")
        db.session.commit()
        for day in range(14):
            for n, topic in enumerate(("battery-safety", "vehicle-data")[: 1 + day % 2]):
                created = now - timedelta(days=day, hours=n + 1)
                case = Case(status="open", topic=topic, created_at=created,
                            sla_due_at=created + timedelta(hours=24), report_count=1,
                            reports=[Report(tracking_code=new_code(), channel="web",
                                            language="zh", claim="视频称电动车自燃",
                                            received_at=created, topic=topic,
                                            scoring_status="scored")])
                db.session.add(case)
                if day % 3 == 0:
                    case.status, case.outcome = "resolved", "false"
                    db.session.add(Decision(case=case, decided_at=created + timedelta(hours=3),
                                            outcome="false", final_topic=topic))
        db.session.commit()


def test_admin_reads_dashboard_and_audit(page, live_server, desk_history, artifacts):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, "root")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{live_server}/staff/dashboard")
    chart = page.locator("figure.chart svg")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert page.locator("svg rect.bar-received").count() == 14
    assert page.locator("#days tbody tr").count() == 14
    overdue = page.locator("#desks tbody tr.overdue")
    assert overdue.count() >= 1
    page.screenshot(path=artifacts / "staff-dashboard-en.png", full_page=True)

    page.goto(f"{live_server}/lang/zh?next=/staff/dashboard?desk=vehicle-data")
    assert page.locator("h2").first.inner_text() == "车辆数据与网络安全"
    page.screenshot(path=artifacts / "staff-dashboard-zh.png", full_page=True)

    page.get_by_role("link", name="审计", exact=True).click()
    page.fill("#action", "user.login")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    assert page.locator("#events tbody tr").count() == 1
    assert "root" in page.locator("#events tbody tr").first.inner_text()
    page.screenshot(path=artifacts / "staff-audit-zh.png", full_page=True)
    assert not violations
