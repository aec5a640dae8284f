"""In a real browser: the model's reasons marked on the report's words, and a queue row that
matches an already-decided case, decided the same in one action; screenshots in en and zh."""

import json
import urllib.request

import pytest

from intake.cases import claims, decisions
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.users import accounts as users
from intake.users.models import User

from .steps import STEP_SECONDS, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
LINK = "https://weibo.com/2803301701/PbQx1aZ9k"
FIRST = ("网传视频：某品牌电动车在小区地下车库充电时电池突然起火，整栋楼都被烧了，"
         "大家赶紧转发提醒家人！")
AGAIN = "Someone forwarded me this: an EV battery exploded in a garage while charging. True?"
NOTE = "视频是2021年的旧视频，拍摄地点也不是这里。The video is from 2021, filmed elsewhere."


def _api_report(base: str, claim: str, url: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/reports", method="POST",
                                     data=json.dumps({"claim": claim, "url": url}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=STEP_SECONDS) as response:
        assert response.status == 201
        return json.loads(response.read())["tracking_code"]


def _case_of(app, code: str) -> int:
    with app.app_context():
        return db.session.scalars(
            db.select(Report.case_id).where(Report.tracking_code == code)).one()


def _decide(app, case_id: int) -> None:
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        assert claims.claim(case_id, mona).ok
        db.session.commit()  # the view's commit
        decisions.decide(db.session.get(Case, case_id), mona, "false", "battery-safety", NOTE)
        db.session.commit()  # the view's commit


def _shoot(page, base: str, path: str, name: str, artifacts) -> None:
    page.goto(f"{base}/lang/zh?next={path}")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.screenshot(path=artifacts / f"{name}-zh.png", full_page=True)
    page.goto(f"{base}/lang/en?next={path}")
    page.screenshot(path=artifacts / f"{name}-en.png", full_page=True)


def test_reasons_marked_and_a_decided_match_applied(page, live_server, app, model_blob,
                                                    register_model, artifacts):
    register_model(app, model_blob, "v-browser")
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety", "off-topic"],
                          actor="cli:test")
        db.session.commit()
    source = _case_of(app, _api_report(live_server, FIRST, LINK))
    _decide(app, source)
    code = _api_report(live_server, AGAIN, LINK + "?from=timeline")
    case_id = _case_of(app, code)
    assert case_id != source

    sign_in(page, live_server, "mona")
    page.goto(f"{live_server}/lang/en?next=/staff/queue")
    row = page.locator(f"#case-{case_id}")
    note = row.locator(".match-note")
    assert note.inner_text().startswith(f"Matches #{source}, decided False on ")
    assert note.get_by_role("link").get_attribute("href") == f"/staff/cases/{source}"
    _shoot(page, live_server, "/staff/queue", "matches-1-queue", artifacts)
    page.goto(f"{live_server}/lang/zh?next=/staff/queue")
    assert f"匹配 #{source}" in row.locator(".match-note").inner_text()

    # The decided case: the claim with the words behind the model marked, and the legend.
    page.goto(f"{live_server}/lang/en?next=/staff/cases/{source}")
    marks = page.locator("#reports .claim mark.why")
    assert marks.count() > 0
    assert page.locator(".why-legend").is_visible()
    assert "signal:" not in page.content()
    _shoot(page, live_server, f"/staff/cases/{source}", "reasons-1-highlighted", artifacts)

    # The matching case: claim it from its queue row (the queue stays), open it, see the
    # match, decide the same in one action.
    page.goto(f"{live_server}/lang/en?next=/staff/queue")
    with page.expect_navigation():
        page.locator(f"#case-{case_id}").get_by_role("button", name="Claim").click()
    assert page.locator(f"#case-{case_id} .claim").inner_text().startswith("You")
    page.goto(f"{live_server}/staff/cases/{case_id}")
    assert f"Matches #{source}" in page.locator("#decided-match").inner_text()
    assert NOTE in page.locator("#decided-match").inner_text()
    _shoot(page, live_server, f"/staff/cases/{case_id}", "matches-2-case", artifacts)
    with page.expect_navigation():
        page.locator("#apply-match").click()
    assert page.locator("#case-outcome").inner_text().strip() == "False"
    page.screenshot(path=artifacts / "matches-3-applied-en.png", full_page=True)
    page.context.clear_cookies()
    page.goto(f"{live_server}/status/{code}")
    assert page.locator("#public-note").inner_text().strip() == NOTE
