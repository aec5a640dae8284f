"""A reporter's path through the public pages in a real browser, in Chinese."""

import re
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import func

from intake.core.extensions import db
from intake.core.models import Attachment, Report

pytestmark = pytest.mark.browser

PO_FILE = Path(__file__).resolve().parents[2] / "intake/translations/zh/LC_MESSAGES/messages.po"
CODE_RE = re.compile(r"^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """Return a valid RGB PNG of a red square, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xd0\x20\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def zh(msgid: str) -> str:
    """Return the Chinese translation the status page should show for msgid."""
    with open(PO_FILE, "rb") as fh:
        message = read_po(fh, locale="zh").get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated"
    assert CJK_RE.search(message.string), f"{msgid!r} -> {message.string!r} is not Chinese"
    return message.string


def count_reports(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(func.count()).select_from(Report))


def test_report_in_chinese_then_follow_status(page, live_server, app, artifacts):
    page.goto(f"{live_server}/report")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="中文", exact=True).click()
    page.wait_for_url(f"{live_server}/report")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator('.lang a[aria-current="true"]').inner_text() == "中文"

    # The links box has autofocus; from there the keyboard walks the form in order.
    assert page.evaluate("document.activeElement.id") == "urls"
    page.keyboard.type("https://weibo.example.com/status/4890123")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "platform"
    page.select_option("#platform", label="微博")
    page.keyboard.press("Tab")
    page.keyboard.type("视频称某品牌电动车停车充电时电池自燃，整栋车库被烧毁。")
    page.keyboard.press("Tab")
    page.keyboard.type("同一段视频2021年就在网上流传过，画面里的车型与文中说的不一致。")
    seen = (date.today() - timedelta(days=2)).isoformat()
    page.fill("#seen_at", seen)
    page.set_input_files("#evidence", files=[
        {"name": "截图.png", "mimeType": "image/png", "buffer": png_bytes()},
    ])
    page.locator("#contact_email").focus()
    page.keyboard.type("reader@example.com")
    page.locator("#contact_consent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "good_faith"
    page.keyboard.press("Space")
    assert page.is_checked("#contact_consent") and page.is_checked("#good_faith")
    assert page.input_value("#seen_at") == seen
    page.screenshot(path=artifacts / "zh-1-form-filled.png", full_page=True)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/report/receipt/" in page.url
    code = page.locator("#tracking-code").inner_text().strip()
    assert CODE_RE.match(code), code
    assert CJK_RE.search(page.locator("h1").inner_text())
    page.screenshot(path=artifacts / "zh-2-receipt.png", full_page=True)

    page.get_by_role("link", name=zh("See the status of this report")).click()
    page.wait_for_url(f"{live_server}/status/{code}")
    assert page.locator("#status").inner_text().strip() == zh("Received")
    assert code in page.locator("h1").inner_text()
    assert page.locator('.steps li[aria-current="step"]').inner_text() == zh("Received")
    page.screenshot(path=artifacts / "zh-3-status.png", full_page=True)

    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        assert report.channel == "web"
        assert report.platform == "weibo"
        assert report.claim.startswith("视频称某品牌电动车")
        assert report.seen_at.date().isoformat() == seen
        assert [u.url for u in report.urls] == ["https://weibo.example.com/status/4890123"]
        assert report.contact_consent and report.contact_email == "reader@example.com"
        attachments = db.session.scalars(
            db.select(Attachment).where(Attachment.report_id == report.id)).all()
        assert [(a.original_name, a.content_type, a.size) for a in attachments] == [
            ("截图.png", "image/png", len(png_bytes()))
        ]


def test_empty_form_shows_errors_and_stores_nothing(page, live_server, app, artifacts):
    page.goto(f"{live_server}/lang/zh?next=/report")
    before = count_reports(app)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=zh("Send report")).click()
    assert navigation.value.status == 400

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#claim", "#explanation", "#good_faith"} <= set(targets)
    for name in ("claim", "explanation", "good_faith"):
        message = page.locator(f"#{name}-error")
        assert message.is_visible() and message.inner_text().strip()
        field = page.locator(f"#{name}")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"{name}-error" in field.get_attribute("aria-describedby").split()
    assert CJK_RE.search(page.locator("#claim-error").inner_text())
    page.screenshot(path=artifacts / "zh-4-errors.png", full_page=True)

    # A keyboard user tabs into the summary, follows a link and lands on the field.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "#claim":
            break
    else:
        pytest.fail("the error summary link to the claim is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#claim'")
    assert page.evaluate("document.activeElement.id") == "claim"
    page.keyboard.type("车企裁员传闻")
    assert page.input_value("#claim") == "车企裁员传闻"

    assert count_reports(app) == before == 0
