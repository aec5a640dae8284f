"""Publish a debunk in a real browser from the case page, then read it as the public does."""

import json
from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Report, ReportUrl, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users
from intake.users.models import User

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
CLAIM = "A parked EV caught fire by itself in a Wuhan garage."
REPORTER_TEXT = "网传武汉车库里一辆停着的电动车自己起火了，邻居李明拍的视频"


@pytest.fixture
def claimed(app):
    """A case with one report, claimed by mona; returns its id."""
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        case = Case(status="under_review", topic="battery-safety", title=REPORTER_TEXT[:40],
                    created_at=now, report_count=1, channel="web", language="zh",
                    claimed_by_id=mona.id, claimed_until=now + timedelta(minutes=30))
        report = Report(tracking_code=new_code(), channel="web", language="zh",
                        received_at=now, claim=REPORTER_TEXT, contact_email="liming@example.com",
                        contact_consent=True)
        report.urls = [ReportUrl(url="https://weibo.com/1234/AbCd?share_token=liming",
                                 url_key="weibo.com/1234/AbCd")]
        case.reports = [report]
        db.session.add(case)
        db.session.commit()
        return case.id


def test_publish_from_the_case_page_and_read_it_in_both_languages(page, live_server, claimed,
                                                                  artifacts):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/lang/en?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")

    page.goto(f"{live_server}/staff/cases/{claimed}")
    page.select_option("#outcome", "false")
    page.locator("#public_note").fill("The fire brigade says the video was filmed in 2021.")
    page.check("#debunk-publish")
    page.locator("#debunk-claim_reviewed").fill(CLAIM)
    page.locator("#debunk-sources").fill("https://example.org/fire-brigade-statement")
    page.locator("#debunk-fields").screenshot(path=artifacts / "debunk-1-decide-and-publish.png")
    with page.expect_navigation():
        page.locator("#decide-form button[type=submit]").click()
    assert page.locator("#case-status").inner_text().strip() == "Resolved"
    link = page.locator("#debunk-public-link")
    assert link.count() == 1
    page.locator("#debunk").screenshot(path=artifacts / "debunk-2-case-page.png")

    with page.expect_navigation():
        link.click()
    assert page.locator("#claim-reviewed").inner_text() == CLAIM
    assert page.locator("#verdict").inner_text().strip() == "False"
    html = page.content()
    for secret in (REPORTER_TEXT, "liming", "李明", "share_token"):
        assert secret not in html
    review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == CLAIM
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://weibo.com/1234/AbCd"
    page.screenshot(path=artifacts / "debunk-3-page-en.png", full_page=True)

    with page.expect_navigation():
        page.locator('nav.lang a[hreflang="zh"]').click()
    assert page.locator("#verdict").inner_text().strip() == "虚假"
    assert "电池与充电安全" in page.locator("#desk").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.screenshot(path=artifacts / "debunk-4-page-zh.png", full_page=True)

    page.goto(f"{live_server}/debunks")
    assert CLAIM in page.locator("#debunks").inner_text()
    page.screenshot(path=artifacts / "debunk-5-list-zh.png", full_page=True)
    page.locator("#q").fill("garage")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert page.locator("#debunks li").count() == 1
    page.locator("#q").fill("nothing like this")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert page.locator("#empty").count() == 1
    page.screenshot(path=artifacts / "debunk-6-list-empty-search-zh.png", full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p], problems
