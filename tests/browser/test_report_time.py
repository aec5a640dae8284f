"""The report form at 02:45 Beijing time, in a real browser: today is today in Beijing."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from intake.core.extensions import db
from intake.core.models import Attachment, Report

from .test_report_flow import png_bytes, zh

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEIJING_TODAY = datetime.now(UTC).date() + timedelta(days=1)
AT_0245 = datetime.combine(BEIJING_TODAY, time(2, 45), tzinfo=SHANGHAI)
# The server's clock reads 02:45 in Beijing: 18:45 UTC, still the day before.
SERVER_ENV = {"CLOCK_NOW": AT_0245.isoformat()}
PHOTO = {"name": "截图.png", "mimeType": "image/png", "buffer": png_bytes(1600, 1200)}


def _fill(page, seen: str) -> None:
    page.fill("#urls", "https://weibo.example.com/status/4890123")
    page.fill("#claim", "视频称某品牌电动车凌晨在地下车库充电时电池自燃，整栋车库被烧毁。")
    page.fill("#explanation", "同一段视频2021年就在网上流传过，画面里的车型与文中说的不一致。")
    page.fill("#seen_at", seen)
    page.set_input_files("#evidence", files=[PHOTO])
    page.check("#good_faith")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_todays_date_at_0245_beijing_is_accepted_with_the_photo(page, live_server, app,
                                                                 artifacts, lang):
    page.goto(f"{live_server}/lang/{lang}?next=/report")
    _fill(page, BEIJING_TODAY.isoformat())
    page.screenshot(path=artifacts / f"{lang}-time-1-form-0245.png", full_page=True)
    with page.expect_navigation() as navigation:
        page.locator("button[type=submit]").click()
    assert navigation.value.status == 200 and "/report/receipt/" in page.url
    code = page.locator("#tracking-code").inner_text().strip()

    page.goto(f"{live_server}/status/{code}")
    received = page.locator("dl.facts dd").nth(1).inner_text().strip()
    assert received == BEIJING_TODAY.isoformat()  # the Beijing date, not the UTC one
    page.screenshot(path=artifacts / f"{lang}-time-2-status.png", full_page=True)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        assert report.seen_at.date() == BEIJING_TODAY
        assert report.received_at == AT_0245.astimezone(UTC).replace(tzinfo=None)
        names = db.session.scalars(db.select(Attachment.original_name)
                                   .where(Attachment.report_id == report.id)).all()
        assert names == ["截图.png"]


def test_a_refused_form_says_the_photo_must_be_chosen_again(page, live_server, app, artifacts):
    page.goto(f"{live_server}/lang/zh?next=/report")
    _fill(page, (BEIJING_TODAY + timedelta(days=1)).isoformat())
    with page.expect_navigation() as navigation:
        page.locator("button[type=submit]").click()
    assert navigation.value.status == 400

    summary = page.locator("#error-summary").inner_text()
    assert zh("The date cannot be in the future: today is %(today)s in %(zone)s.").split(
        "（")[0] in summary
    assert BEIJING_TODAY.isoformat() in summary and "Asia/Shanghai" in summary
    evidence = page.locator("#evidence-error").inner_text()
    assert "截图.png" in evidence and re.search("重新选择", evidence)
    # What was typed is still there; only the file must be chosen again, and the page says so.
    assert page.input_value("#claim").startswith("视频称某品牌电动车")
    page.screenshot(path=artifacts / "zh-time-3-refused-keeps-text-asks-for-file.png",
                    full_page=True)
