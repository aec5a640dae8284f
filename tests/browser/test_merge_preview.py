"""Merging in a real browser: both cases side by side, confirmation, a held case refused."""

import pytest

from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users
from intake.users.models import User

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
CLAIMS = ("视频称某品牌电动车在杭州地下车库充电时自燃，整层车库被烧毁。",
          "A post says the same carmaker is recalling 200,000 cars for faulty brakes.")


@pytest.fixture
def two_cases(app):
    now = utcnow()
    with app.app_context():
        for name in ("mona", "nina"):
            users.create_user(name, PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
            db.session.commit()
        made = []
        for claim in CLAIMS:
            case = Case(status="open", topic="battery-safety", title=claim, created_at=now,
                        report_count=1, reporter_count=1, channel="web", language="zh")
            case.reports = [Report(tracking_code=new_code(), channel="web", language="zh",
                                   received_at=now, claim=claim)]
            db.session.add(case)
            made.append(case)
        db.session.commit()
        return made[0].id, made[1].id


def _sign_in(page, live_server, lang: str) -> None:
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


def _ask_merge(page, live_server, source: int, target: int):
    page.goto(f"{live_server}/staff/cases/{source}")
    page.locator(f"#merge-into-{source}").fill(str(target))
    with page.expect_navigation() as navigation:
        page.locator(".merge-form button[type=submit]").click()
    return navigation.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_merge_preview_then_confirm(page, live_server, app, two_cases, artifacts, lang):
    source, target = two_cases
    _sign_in(page, live_server, lang)
    assert _ask_merge(page, live_server, source, target).status == 200
    left, right = page.locator("#merge-source"), page.locator("#merge-target")
    assert CLAIMS[0] in left.inner_text() and CLAIMS[1] in right.inner_text()
    # Side by side on a wide screen: the two boxes share a row.
    assert abs(left.bounding_box()["y"] - right.bounding_box()["y"]) < 2
    page.screenshot(path=artifacts / f"merge-{lang}-1-preview.png", full_page=True)
    with app.app_context():
        assert db.session.get_one(Case, source).status == "open"
    with page.expect_navigation():
        page.locator("#merge-confirm").click()
    assert page.url.endswith(f"/staff/cases/{target}")
    with app.app_context():
        assert db.session.get_one(Case, source).status == "merged"


def test_merge_of_a_case_someone_else_holds_is_refused(page, live_server, app, two_cases,
                                                      artifacts):
    source, target = two_cases
    with app.app_context():
        nina = db.session.scalars(db.select(User).where(User.username == "nina")).one()
        assert claims.claim(target, nina).ok
        db.session.commit()  # the view's commit
    _sign_in(page, live_server, "zh")
    assert _ask_merge(page, live_server, source, target).status == 409
    assert "nina" in page.locator("#merge-refused").inner_text()
    assert "nina" in page.locator("#merge-target .holder").inner_text()
    assert page.locator("#merge-confirm").count() == 0
    page.screenshot(path=artifacts / "merge-zh-2-refused.png", full_page=True)
