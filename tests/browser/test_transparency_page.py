"""An admin reads the transparency figures in English and Chinese; the public twin, enabled."""

import pytest
from factories import PASSWORD

from intake.users import accounts as users
from tests.transparency.month_data import fill_month

from .steps import sign_in

pytestmark = pytest.mark.browser
SERVER_ENV = {"CLOCK_NOW": "2026-04-15T04:00:00", "TRANSPARENCY_PUBLIC": "true"}


@pytest.fixture
def month(app):
    with app.app_context():
        from intake.core.extensions import db
        users.create_user("root", PASSWORD, "admin", actor="cli:test")
        db.session.commit()
        fill_month()
        db.session.commit()


def test_transparency_page_in_english_and_chinese(page, live_server, month, artifacts):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    sign_in(page, live_server, "root")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Transparency").click()
    page.wait_for_url(f"{live_server}/staff/transparency")
    assert page.locator("#range input[name=from]").input_value() == "2025-05"
    page.fill("#range input[name=from]", "2026-01")
    page.fill("#range input[name=to]", "2026-04")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.locator("figure.chart svg").count() == 2
    march = page.locator("#reports-by-channel tbody tr", has_text="2026-03")
    assert march.locator("td").last.inner_text() == "4"
    page.screenshot(path=artifacts / "staff-transparency-en.png", full_page=True)

    page.goto(f"{live_server}/lang/zh?next=/staff/transparency?from=2026-01%26to=2026-04")
    assert page.locator("h1").inner_text() == "透明度数据"
    page.screenshot(path=artifacts / "staff-transparency-zh.png", full_page=True)

    page.goto(f"{live_server}/transparency?from=2026-03&to=2026-03")
    assert page.locator("#time-to-decision tbody tr").first.inner_text().split()[1:] \
        == ["60.0", "1416.0"]
    page.screenshot(path=artifacts / "public-transparency-zh.png", full_page=True)
    assert not violations
