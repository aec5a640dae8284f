"""The operator call screen: the flow of one call, who may use it, bad input, lookup."""

from datetime import datetime

import pytest

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Report
from intake.hotline import calls
from intake.users.models import User

from .hotline_data import call_form


def _reports(app) -> list[Report]:
    with app.app_context():
        reports = list(db.session.scalars(db.select(Report).order_by(Report.id)))
        for report in reports:
            assert report.case is not None
        db.session.expunge_all()
        return reports


@pytest.fixture
def operator(make_user, login):
    make_user("olga", role="operator", desks=())
    login("olga")
    return "olga"


def test_operator_flow_end_to_end(app, client, operator):
    screen = client.get("/staff/hotline")
    assert screen.status_code == 200
    page = screen.get_data(as_text=True)
    # The script is in both languages, in order: number first, tracking code last.
    assert page.index("May I have the number") < page.index("Here is your tracking code")
    assert "请问您是用哪个号码打来的" in page
    assert 'autofocus' in page and 'id="caller_number"' in page

    sent = client.post("/staff/hotline", data=call_form(urgent="y"))
    assert sent.status_code == 303
    receipt = client.get(sent.headers["Location"])
    assert receipt.status_code == 200
    (report,) = _reports(app)
    text = receipt.get_data(as_text=True)
    assert report.tracking_code in text
    group = report.tracking_code.split("-")[1]
    assert f'<span class="group">{group}</span>' in text
    assert 'lang="zh-CN"' in text and "****8000" in text

    assert report.channel == "hotline" and report.case.channel == "hotline"
    assert report.urgent and report.case.urgent
    assert report.caller_masked == "****8000" and len(report.caller_hash) == 64
    assert report.reporter_key == report.caller_hash
    assert report.language == "zh" and report.platform == "douyin"
    assert report.call_started_at == datetime(2026, 11, 24, 2, 5)  # 10:05 in Shanghai, as UTC
    assert report.contact_phone is None and not report.contact_consent
    assert report.operator_notes == "来电者语气平静"
    assert report.call_id.startswith("op-")
    with app.app_context():
        olga = db.session.scalars(db.select(User).where(User.username == "olga")).one()
        assert report.operator_id == olga.id
        (event,) = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "report.hotline_call"))
        assert event.actor_name == "olga" and event.target_id == str(report.id)
        assert event.after["caller"] == "****8000" and event.after["urgent"] is True
    # The caller follows the report like any web reporter.
    assert client.get(f"/status/{report.tracking_code}").status_code == 200


def test_english_caller_gets_the_nato_spelling(app, client, operator):
    sent = client.post("/staff/hotline", data=call_form(
        language="en", claim="A video claims a robotaxi ran over a cyclist in Wuhan."))
    text = client.get(sent.headers["Location"]).get_data(as_text=True)
    (report,) = _reports(app)
    letters = [ch for ch in report.tracking_code[3:] if ch.isalpha()]
    assert 'lang="en"' in text
    if letters:
        assert " as in " in text


def test_sending_the_same_form_twice_stores_one_report(app, client, operator):
    form = call_form(call_id="op-" + "a" * 32)
    first = client.post("/staff/hotline", data=form)
    second = client.post("/staff/hotline", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_reports(app)) == 1


def test_the_same_form_sent_twice_at_once_shows_the_first_report(app, client, operator,
                                                                   monkeypatch):
    form = call_form(call_id="op-" + "b" * 32)
    first = client.post("/staff/hotline", data=form)
    # The second request looked before the first committed: its first look finds nothing,
    # its insert fails on the call id, and the view rolls back and shows the first.
    real, looks = calls.find_call, []
    monkeypatch.setattr(calls, "find_call", lambda call_id: None if not looks.append(
        call_id) and len(looks) == 1 else real(call_id))
    second = client.post("/staff/hotline", data=form)
    assert (second.status_code, len(looks)) == (303, 2)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_reports(app)) == 1


@pytest.mark.parametrize("role, status", [("operator", 200), ("admin", 200),
                                          ("moderator", 403)])
@pytest.mark.parametrize("path", ["/staff/hotline", "/staff/hotline/lookup"])
def test_only_operators_and_admins_reach_the_call_screen(client, make_user, login, role,
                                                         status, path):
    make_user("someone", role=role)
    login("someone")
    assert client.get(path).status_code == status
    nav = client.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert ('href="/staff/hotline"' in nav) == (status == 200)


def test_a_moderator_cannot_log_a_call(app, client, make_user, login):
    make_user("mona", role="moderator")
    login("mona")
    assert client.post("/staff/hotline", data=call_form()).status_code == 403
    assert _reports(app) == []


@pytest.mark.parametrize("path", ["/staff/hotline", "/staff/hotline/lookup"])
def test_the_public_is_sent_to_login(app, client, path):
    response = client.post(path, data=call_form())
    assert response.status_code == 303
    assert "/staff/login" in response.headers["Location"]
    assert _reports(app) == []


@pytest.mark.parametrize("overrides, field, message", [
    ({"caller_number": "12"}, "caller_number", "电话号码"),
    ({"caller_number": "call me"}, "caller_number", "电话号码"),
    ({"claim": ""}, "claim", "内容"),
    ({"started_at": "2999-01-01 10:00"}, "started_at", "晚于现在"),
    ({"url": "weibo.com/x"}, "url", "http"),
])
def test_bad_input_is_a_400_that_says_what_to_fix(app, client, operator, overrides, field,
                                                  message):
    response = client.post("/staff/hotline", data=call_form(**overrides))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert "网传视频称" in page or overrides.get("claim") == ""  # what was typed is kept
    assert _reports(app) == []


def test_lookup_finds_earlier_reports_by_number_in_any_format(app, client, operator):
    for claim in ("第一次来电：电池自燃视频", "第二次来电：自动驾驶撞车传闻"):
        client.post("/staff/hotline", data=call_form(claim=claim))
    client.post("/staff/hotline", data=call_form(caller_number="13900001111",
                                                 claim="另一位来电者：召回传闻"))
    response = client.post("/staff/hotline/lookup", data={"caller_number": "+86 138-0013-8000"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "第一次来电" in page and "第二次来电" in page and "另一位来电者" not in page
    assert "****8000" in page and "13800138000" not in page
    assert page.index("第二次来电") < page.index("第一次来电")  # newest first

    nobody = client.post("/staff/hotline/lookup", data={"caller_number": "13700000000"})
    assert "第一次来电" not in nobody.get_data(as_text=True)
    bad = client.post("/staff/hotline/lookup", data={"caller_number": "abc"})
    assert bad.status_code == 400


def test_receipt_of_unknown_or_web_report_is_404(client, operator, make_report):
    assert client.get("/staff/hotline/calls/RD-0000-0000").status_code == 404
    web_code = make_report()
    assert client.get(f"/staff/hotline/calls/{web_code}").status_code == 404
