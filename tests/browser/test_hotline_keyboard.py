"""An operator logs a call with the keyboard alone, reads the code back, looks the caller up."""

import re

import pytest

from intake.core.extensions import db
from intake.core.models import Report
from intake.users import accounts as users

from .steps import tab_to

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
CODE_RE = re.compile(r"^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent")


def wait_focus(page, element_id: str) -> None:
    """Wait for autofocus, which Chromium applies just after the page loads."""
    page.wait_for_function(f"document.activeElement.id === '{element_id}'")


def test_call_screen_by_keyboard_alone(page, live_server, app, artifacts):
    with app.app_context():
        users.create_user("olga", PASSWORD, "operator", [], actor="cli:test")
        db.session.commit()
    page.goto(f"{live_server}/staff/hotline")  # not signed in: the login page, then back here
    wait_focus(page, "username")
    page.keyboard.type("olga")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server}/staff/hotline"

    # The number box has focus; every field follows in the order of the script.
    wait_focus(page, "caller_number")
    assert page.locator("#script li").count() == 8
    page.keyboard.type("139 1234 5678")
    page.keyboard.press("Tab")
    assert focused(page) == "started_at"
    page.keyboard.press("Control+A")
    page.keyboard.type("2026-11-24 09:30")
    page.keyboard.press("Tab")
    assert focused(page) == "language"
    page.keyboard.press("ArrowDown")  # 中文 -> English
    page.keyboard.press("Tab")
    assert focused(page) == "claim"
    page.keyboard.type("A video says a robotaxi drove into a crowd in Wuhan, nobody could stop it.")
    page.keyboard.press("Tab")
    assert focused(page) == "platform"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert focused(page) == "url"
    page.keyboard.press("Tab")
    page.keyboard.type("The caller says the clip is from a film set.")
    page.keyboard.press("Tab")
    assert focused(page) == "urgent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page) == "consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page) == "notes"
    page.keyboard.type("Caller is a taxi driver in Wuhan.")
    assert page.is_checked("#urgent") and page.is_checked("#consent")
    page.screenshot(path=artifacts / "hotline-1-call-screen.png", full_page=True)

    page.keyboard.press("Tab")
    assert focused(page) == "send-call"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/staff/hotline/calls/" in page.url
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE_RE.match(code)
    groups = page.locator("#spelling .group").all_inner_texts()
    assert groups == code.split("-")[1:]
    assert page.locator("#spelling").get_attribute("lang") == "en"  # the caller's language
    assert page.locator("#caller-masked").inner_text() == "****5678"
    page.screenshot(path=artifacts / "hotline-2-read-aloud.png", full_page=True)

    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        assert report.channel == "hotline" and report.urgent and report.case.urgent
        assert report.language == "en" and report.platform == "wechat"
        assert report.contact_phone == "+8613912345678" and report.caller_masked == "****5678"

    # Next call: the same caller again, then look up what they reported before.
    tab_to(page, "next-call")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_focus(page, "caller_number")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/staff/hotline/lookup":
            break
    else:
        pytest.fail("the lookup link is not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_focus(page, "caller_number")
    page.keyboard.type("+86 139-1234-5678")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_focus(page, "results")
    assert code in page.locator(".results").inner_text()
    page.screenshot(path=artifacts / "hotline-3-lookup.png", full_page=True)
