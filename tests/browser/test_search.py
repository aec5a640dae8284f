"""A moderator searches from the header of a staff page with the keyboard, in both languages."""

import pytest

from intake.core.extensions import db
from intake.reports.operations import ReportInput, submit_report
from intake.users import accounts as users

from .steps import tab_to

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def test_search_from_the_header_by_keyboard(page, live_server, app, artifacts):
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        report, _ = submit_report(
            ReportInput(claim="网传某品牌电动车在地下车库自燃，视频是2021年的旧闻。",
                        good_faith=True),
            channel="web", upload_dir=app.config["UPLOAD_DIR"])
        report.case.topic = "battery-safety"
        db.session.commit()
        code, case_id = report.tracking_code, report.case_id
    page.goto(f"{live_server}/staff/login")
    page.fill("#username", "mona")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{live_server}/staff/queue")

    tab_to(page, "staff-search-q")
    assert page.locator("label[for=staff-search-q]").inner_text() == "Search cases"
    page.keyboard.type("地下车库自燃")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("#results").inner_text() == "1 case found"
    assert page.locator(".search-results").inner_text().count(code) == 1
    page.screenshot(path=artifacts / "search-1-results-en.png", full_page=True)
    with page.expect_navigation():
        page.click(f"a[href='/staff/cases/{case_id}']")
    assert page.url.endswith(f"/staff/cases/{case_id}")

    page.goto(f"{live_server}/lang/zh?next=/staff/search%3Fq%3D{code.lower()}")
    assert page.locator("#results").inner_text() == "找到 1 个案件"
    assert page.locator("label[for=staff-search-q]").inner_text() == "搜索案件"
    page.screenshot(path=artifacts / "search-2-code-zh.png", full_page=True)
    page.goto(f"{live_server}/staff/search?q=x")
    assert "搜索内容太短" in page.locator("main").inner_text()
    page.screenshot(path=artifacts / "search-3-too-short-zh.png", full_page=True)
