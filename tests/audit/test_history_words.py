"""Case history and audit trail read as sentences in both languages; 403 pages lead staff home."""

import re

import pytest
from factories import PASSWORD

DECIDE = {"outcome": "false", "final_topic": "battery-safety",
          "public_note": "经核实，视频拍摄于2021年。", "internal_note": ""}


@pytest.fixture
def story(app, make_user, make_case):
    """mona claims, releases, claims and decides a case; ada reopens it with a Chinese reason."""
    make_user("mona", role="moderator", desks=("battery-safety",))
    make_user("ada", role="admin", desks=())
    case_id = make_case()
    clients = {}
    for name in ("mona", "ada"):
        clients[name] = app.test_client()
        clients[name].post("/staff/login", data={"username": name, "password": PASSWORD})
    mona, ada = clients["mona"], clients["ada"]
    for step in ("claim", "release", "claim"):
        assert mona.post(f"/staff/cases/{case_id}/{step}").status_code in (302, 303)
    assert mona.post(f"/staff/cases/{case_id}/decide", data=DECIDE).status_code == 303
    assert ada.post(f"/staff/cases/{case_id}/reopen",
                    data={"reason": "经复核需要补充证据", "confirm": "y"}).status_code == 303
    return case_id, clients


def _history(page: str) -> list[str]:
    section = page[page.index('id="history"'):]
    rows = re.findall(r"<tr data-action[^>]*>(.*?)</tr>", section, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


@pytest.mark.parametrize("language, expected", [
    ("en", ["ada reopened the case", "Status: Resolved → Open", "Reason: 经复核需要补充证据",
            "mona decided: False", "Decided in bulk: No", "mona released the case",
            "Claimed by: mona → —", "mona claimed the case", "Claimed by: — → mona"]),
    ("zh", ["ada 重新打开了此案", "处理状态：已办结 → 待认领", "原因：经复核需要补充证据",
            "mona 作出判定：虚假", "批量判定：否", "mona 释放了此案", "mona 认领了此案",
            "认领人：— → mona"]),
])
def test_case_history_reads_as_sentences(story, language, expected):
    case_id, clients = story
    page = clients["ada"].get(f"/staff/cases/{case_id}",
                              headers={"Accept-Language": language}).get_data(as_text=True)
    rows = " | ".join(_history(page))
    for words in expected:
        assert words in rows, f"{words!r} not in {rows}"
    for raw in ("claimed_by_id", "case.decide", "bulk: None", "None"):
        assert raw not in rows


def test_audit_trail_shows_real_characters_and_sentences(story):
    _case_id, clients = story
    page = clients["ada"].get("/staff/audit", headers={"Accept-Language": "zh"}
                              ).get_data(as_text=True)
    assert "经复核需要补充证据" in page and "\\u7ecf" not in page
    assert "ada 重新打开了此案" in page and "mona 作出判定：虚假" in page


@pytest.mark.parametrize("language, message, back", [
    ("zh", "您无权打开此页面", "返回工作人员首页"),
    ("en", "You may not open this page", "Back to the staff home page"),
])
def test_forbidden_page_is_translated_and_leads_staff_home(story, language, message, back):
    _case_id, clients = story
    response = clients["mona"].get("/staff/audit", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert message in page and back in page and "Forbidden" not in page
    assert re.search(r'<a href="/staff/" id="back">', page)
    assert 'href="/report" id="back"' not in page
