"""Appeals in a real browser: a reporter appeals from the status page, the original decider
cannot decide the appeal, a second moderator reverses it, and the status page shows it."""

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.tracking import new_code
from intake.users import accounts as users
from intake.users.models import User

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
REASON = {"zh": "消防部门的通报说明起火的是一辆电动汽车，审核时可能没有看到。",
          "en": "The fire brigade's statement says the burning car was electric."}
NOTE = {"zh": "消防部门的通报证实起火车辆为电动汽车，原结论有误。",
        "en": "The fire brigade confirmed the burning car was electric; we were wrong."}
REVERSED = {"zh": "改变原处理结论", "en": "the decision was reversed"}
ACCURATE = {"zh": "属实", "en": "Accurate"}


@pytest.fixture
def decided(app):
    """A case mona decided "false" an hour ago, with one Chinese and one English report."""
    now = utcnow()
    with app.app_context():
        for name in ("mona", "nina"):
            users.create_user(name, PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
            db.session.commit()
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        case = Case(status="resolved", topic="battery-safety", outcome="false", decided_at=now,
                    decided_by_id=mona.id, public_note="视频拍摄于2021年的另一城市。",
                    title="网传电动车车库自燃", created_at=now, report_count=2, channel="web",
                    language="zh", priority=48.0, band="P3",
                    priority_components={"actionable": 30.0, "severity": 16.0, "waiting": 2.0})
        codes = [new_code(), new_code()]
        case.reports = [Report(tracking_code=codes[0], channel="web", language="zh",
                               received_at=now, claim="网传电动车在车库充电时自燃。"),
                        Report(tracking_code=codes[1], channel="web", language="en",
                               received_at=now, claim="An EV caught fire in a garage.")]
        db.session.add(case)
        db.session.flush()
        db.session.add(Decision(case_id=case.id, decided_at=now, outcome="false",
                                decided_by_id=mona.id, final_topic="battery-safety"))
        db.session.commit()
        return case.id, codes


def _login(page, base: str, lang: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill(name)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reporter_appeals_and_a_second_moderator_reverses(page, live_server, app, decided,
                                                           artifacts, lang):
    case_id, codes = decided

    def shot(language: str, step: str):
        return artifacts / f"appeal-{language}-{step}.png"

    # The reporter appeals from the status page.
    page.goto(f"{live_server}/lang/{lang}?next=/status/{codes[0]}")
    page.locator("#appeal-form").wait_for()
    page.screenshot(path=shot(lang, "1-status-with-form"), full_page=True)
    page.locator("#reason").fill(REASON[lang])
    with page.expect_navigation():
        page.locator("#appeal-form button[type=submit]").click()
    assert page.locator("#flash").is_visible() and page.locator("#appeal-status").is_visible()
    assert page.locator("#appeal-form").count() == 0
    page.screenshot(path=shot(lang, "2-appeal-received"), full_page=True)

    # The original decider: no form, and claiming the case is refused with a reason.
    _login(page, live_server, lang, "mona")
    page.goto(f"{live_server}/staff/cases/{case_id}")
    assert page.locator("#appeal-own").is_visible()
    assert page.locator("#appeal-decide-form").count() == 0
    with page.expect_navigation():
        page.locator("#claim-button").click()
    assert page.locator(".flash-error").is_visible()
    page.screenshot(path=shot(lang, "3-original-decider-refused"), full_page=True)
    with app.app_context():
        assert db.session.get(Case, case_id).claimed_by_id is None

    # A second moderator finds it in the queue, claims it and reverses the decision.
    _login(page, live_server, lang, "nina")
    page.goto(f"{live_server}/staff/queue")
    assert page.locator(f"#case-{case_id} .appeal-tag").is_visible()
    page.screenshot(path=shot(lang, "4-queue"), full_page=True)
    page.goto(f"{live_server}/staff/cases/{case_id}")
    with page.expect_navigation():
        page.locator("#claim-button").click()
    assert REASON[lang] in page.locator("#appeal-reason").inner_text()
    page.check("#result-1")  # reverse
    page.select_option("#new_outcome", "accurate")
    page.locator("#public_note").fill(NOTE[lang])
    page.screenshot(path=shot(lang, "5-deciding"), full_page=True)
    with page.expect_navigation():
        page.locator("#appeal-decide-form button[type=submit]").click()
    assert page.locator("#decided-appeals").is_visible()
    page.screenshot(path=shot(lang, "6-decided"), full_page=True)

    # Both reporters see the reversal and the new outcome.
    page.context.clear_cookies()
    for number, code in enumerate(codes):
        page.goto(f"{live_server}/lang/{lang}?next=/status/{code}")
        assert REVERSED[lang] in page.locator("#appeal-status").inner_text()
        assert page.locator("#outcome").inner_text().strip() == ACCURATE[lang]
        assert NOTE[lang] in page.locator("#public-note").inner_text()
        page.screenshot(path=shot(lang, f"7-status-reporter-{number + 1}"), full_page=True)
