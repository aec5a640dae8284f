"""The case page in a real browser: on a wide screen the decision form stays in view while the
reports scroll, evidence photos show as thumbnails; on a narrow screen one column. zh and en."""


import pytest
from reports.photos import noise_jpeg  # tests/ is on the path: its packages are top level

from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Report
from intake.reports.evidence import Upload
from intake.users import accounts as users
from intake.users.models import User

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
REPORTS = 8
CLAIM = ("网传视频：某品牌电动车在小区地下车库充电时电池突然起火，整栋楼都被烧了，"
         "大家赶紧转发提醒家人！第{n}位举报人说他也在朋友圈看到了同样的视频。")
WIDE, NARROW = {"width": 1400, "height": 900}, {"width": 800, "height": 900}


@pytest.fixture
def app(app_factory, browser_server):
    """The server must read the evidence the test stores: both use the server's folder."""
    return app_factory(UPLOAD_DIR=str(browser_server.uploads))


@pytest.fixture
def long_case(app, make_report) -> int:
    """A battery-desk case of eight reports, each with a ~4 MB phone photo; mona holds it."""
    codes = [make_report(claim=CLAIM.format(n=n), explanation="视频里的车牌是外地的。" * 20,
                         uploads=[Upload(f"IMG_{n:04d}.jpg", "image/jpeg", noise_jpeg())])
             for n in range(REPORTS)]
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        rows = [db.session.scalars(db.select(Report).where(Report.tracking_code == c)).one()
                for c in codes]
        case = rows[0].case
        for row in rows[1:]:  # clustering is not under test: join them by hand
            if row.case_id != case.id:
                row.case.status, row.case.merged_into_id = "merged", case.id
                row.case = case
        case.topic, case.report_count = "battery-safety", REPORTS
        db.session.commit()
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        assert claims.claim(case.id, mona).ok
        db.session.commit()  # the view's commit
        return case.id


def _sign_in(page, live_server, lang: str) -> None:
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


def _boxes(page) -> tuple[dict, dict]:
    return (page.locator("#case-main").bounding_box(),
            page.locator("#case-side").bounding_box())


def _in_view(page, selector: str) -> bool:
    box, height = page.locator(selector).bounding_box(), page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wide_the_decision_stays_in_view_narrow_one_column(page, live_server, long_case,
                                                         artifacts, lang):
    page.set_viewport_size(WIDE)
    _sign_in(page, live_server, lang)
    page.goto(f"{live_server}/staff/cases/{long_case}")
    page.screenshot(path=artifacts / f"case-layout-{lang}-1-wide-top.png")
    main, side = _boxes(page)
    assert side["x"] >= main["x"] + main["width"]  # side by side
    assert _in_view(page, "#decide-form button[type=submit]")
    assert _in_view(page, "#public_note") and _in_view(page, "#public_note_en")
    # Every photo is a server-made thumbnail of at most 240 px, not the 2400 px original.
    thumbs = page.locator("img[id^=thumb-]")
    assert thumbs.count() == REPORTS
    thumbs.first.scroll_into_view_if_needed()
    thumbs.first.evaluate("img => img.decode()")
    assert thumbs.first.evaluate("img => img.naturalWidth") == 240

    # The reports scroll; the decision form does not move out of view.
    page.mouse.move(300, 500)  # over the reports column, as a moderator reading them
    for _ in range(40):
        page.mouse.wheel(0, 600)
    page.wait_for_function("() => window.scrollY + innerHeight >= document.body.scrollHeight - 2")
    thumbs.last.evaluate("img => img.decode()")  # loaded lazily, once in view
    page.screenshot(path=artifacts / f"case-layout-{lang}-2-wide-scrolled.png")
    assert page.evaluate("window.scrollY") > 900  # the reports are much longer than a screen
    assert _in_view(page, "article.report:last-of-type .evidence")  # the last report's end
    assert _in_view(page, "#decide-form button[type=submit]")

    page.set_viewport_size(NARROW)
    page.evaluate("window.scrollTo(0, 0)")
    main, side = _boxes(page)
    assert side["y"] >= main["y"] + main["height"]  # one column: the side comes after
    assert abs(side["x"] - main["x"]) < 2
    assert not _in_view(page, "#decide-form button[type=submit]")
    page.screenshot(path=artifacts / f"case-layout-{lang}-3-narrow.png", full_page=True)
