"""Queue keyboard shortcuts in Chromium, zh and en: j/k select, c claims, o opens, ? helps."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users import accounts as users

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
HELP = {"en": ("Keyboard shortcuts", "Claim the selected case and stay on the queue"),
        "zh": ("键盘快捷键", "认领所选案件并留在队列")}


@pytest.fixture
def queue(app):
    """Three open cases on mona's desk, highest priority first; returns their ids in order."""
    now = utcnow()
    with app.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        cases = [Case(status="open", topic="battery-safety", priority=prio, band=band,
                      channel="web", language="zh", report_count=1, p_actionable=0.6,
                      title=title, created_at=now - timedelta(hours=2),
                      sla_due_at=now + timedelta(hours=20))
                 for prio, band, title in ((80.0, "P1", "视频称某品牌电动车充电时自燃"),
                                           (60.0, "P2", "A post says a battery recall hides fires"),
                                           (40.0, "P3", "网传某品牌电池包存在批量缺陷"))]
        db.session.add_all(cases)
        db.session.commit()
        return [c.id for c in cases]


def _sign_in(page, live_server, lang: str) -> None:
    page.goto(f"{live_server}/lang/{lang}?next=/staff/login")
    page.locator("#username").fill("mona")
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#password").press("Enter")
    page.wait_for_url(f"{live_server}/staff/queue")  # a moderator lands on the queue


def _selected(page) -> str | None:
    return page.evaluate("""() => {
        const row = document.querySelector('tr.selected');
        const focused = document.activeElement.closest('tr');
        return row && focused === row && row.getAttribute('aria-current') === 'true'
            ? row.dataset.caseId : null; }""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queue_keys(page, live_server, app, queue, artifacts, lang):
    first, second, third = map(str, queue)
    _sign_in(page, live_server, lang)
    page.wait_for_function("document.getElementById('queue-keys-open').hidden === false")

    page.keyboard.press("j")
    assert _selected(page) == first
    page.keyboard.press("j")
    assert _selected(page) == second
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert _selected(page) == second
    # The focus ring is visible on the selected case's link.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.screenshot(path=artifacts / f"queue-keys-{lang}-1-selected.png", full_page=True)

    # Typing in a box or holding Ctrl never moves the selection.
    page.locator("#bulk-public-note").fill("")
    page.locator("#bulk-public-note").press("j")
    assert page.locator("#bulk-public-note").input_value() == "j"
    page.locator(f"#case-{second} .case-title a").focus()
    page.keyboard.press("Control+j")
    assert _selected(page) == second

    # c claims the selected case in place: back on the queue, the case still selected.
    with page.expect_navigation():
        page.keyboard.press("c")
    page.wait_for_url(f"**/staff/queue#case-{second}")
    page.wait_for_function("document.activeElement.closest('tr') !== null")
    assert _selected(page) == second
    claim_cell = page.locator(f"#case-{second} td.claim").inner_text()
    assert ("You" in claim_cell) if lang == "en" else ("你" in claim_cell)
    page.screenshot(path=artifacts / f"queue-keys-{lang}-2-claimed.png", full_page=True)

    # ? shows the keys in the reader's language, ? again hides them.
    title, claim_line = HELP[lang]
    page.keyboard.press("?")
    dialog = page.locator("#queue-keys-help")
    assert dialog.is_visible()
    assert title in dialog.inner_text() and claim_line in dialog.inner_text()
    page.keyboard.press("j")  # the dialog is modal: the selection waits behind it
    page.screenshot(path=artifacts / f"queue-keys-{lang}-3-help.png", full_page=True)
    page.keyboard.press("?")
    assert not dialog.is_visible()
    assert _selected(page) == second

    # o opens the selected case.
    page.keyboard.press("j")
    assert _selected(page) == third
    with page.expect_navigation():
        page.keyboard.press("o")
    assert page.url == f"{live_server}/staff/cases/{third}"
    page.screenshot(path=artifacts / f"queue-keys-{lang}-4-opened.png", full_page=True)

    # d opens it at its decision form.
    page.go_back()
    page.locator(f"#case-{first} .case-title a").focus()
    with page.expect_navigation():
        page.keyboard.press("d")
    assert page.url == f"{live_server}/staff/cases/{first}#decision"
    with app.app_context():
        mona_holds = db.session.get_one(Case, int(second)).claimed_by_id
    assert mona_holds is not None
