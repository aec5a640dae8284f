"""Reporters' mail through the outbox, delivered to a real SMTP server started by the test."""

import re
import time
from email.message import EmailMessage

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.notifications import messages as notifications
from intake.notifications import worker as mail_delivery
from intake.notifications.models import OutboxMessage

ZH_CLAIM = ("网传视频称武汉一辆停在小区里的电动汽车在没有充电的情况下突然自燃，"
            "电池热失控引发大火，烧毁了旁边三辆车，说是某品牌电池存在设计缺陷。" * 3)
EN_CLAIM = ("A forwarded post says a parked electric car in Wuhan caught fire by itself "
            "overnight without charging, and blames a design flaw in the battery pack. " * 3)
NOTE_EN = "The video is from 2021 and shows a petrol car in another city; no EV was involved."


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_RETRY_SECONDS=1,
                       MAIL_MAX_ATTEMPTS=3, MAIL_TIMEOUT=3, PUBLIC_URL="https://desk.example.org",
                       MAIL_FROM="Report Desk <desk@example.org>")


def _deliver(app) -> mail_delivery.Delivery:
    with app.app_context():
        return mail_delivery.deliver_due()


def _parts(message: EmailMessage) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize("language, claim, subject, body", [
    ("zh", ZH_CLAIM, "我们已收到您的举报", "感谢您的举报，我们已经收到。"),
    ("en", EN_CLAIM, "We received your report", "Thank you, we received your report."),
])
def test_the_receipt_arrives_in_the_reporters_language(app, smtp, language, claim, subject,
                                                       body):
    client = app.test_client()
    response = client.post("/report", headers={"Accept-Language": language}, data={
        "claim": claim, "explanation": "同一段视频2021年就出现过。" if language == "zh" else
        "The same video circulated in 2021.", "platform": "weibo", "good_faith": "y",
        "contact_email": "reader@example.net", "contact_consent": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    code = response.headers["Location"].rsplit("/", 1)[1]
    assert _deliver(app).sent == 1
    [mail] = smtp.sink.messages
    text, html = _parts(mail)
    assert mail["To"] == "reader@example.net" and mail["From"] == "Report Desk <desk@example.org>"
    assert mail["Subject"] == f"{subject} {code}"
    assert mail["Content-Language"] == ("zh-CN" if language == "zh" else "en")
    status_url = f"https://desk.example.org/status/{code}"
    for part in (text, html):
        assert body in part and code in part and status_url in part
        assert f"https://desk.example.org/status/{code}/stop-mail/" in part
    assert _outbox(app)[0].status == "sent"


def _reporting_case(app, make_report, *reports: tuple[str, str]) -> tuple[int, list[str]]:
    """One case of several consenting reports, each (claim, email)."""
    codes = [make_report(claim=claim, contact_email=address, contact_consent=True)
             for claim, address in reports]
    with app.app_context():
        rows = [db.session.scalars(db.select(Report).where(Report.tracking_code == c)).one()
                for c in codes]
        case = rows[0].case
        for row in rows[1:]:
            if row.case_id != case.id:
                row.case.status, row.case.merged_into_id = "merged", case.id
                row.case = case
        case.topic = "battery-safety"
        db.session.commit()
        return case.id, codes


def _decide(app, client_as, claim, case_id: int) -> None:
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", data={
        "outcome": "false", "final_topic": "battery-safety", "public_note": NOTE_EN})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "resolved"


def test_the_decision_reaches_every_consenting_reporter_in_their_language(
        app, smtp, make_report, make_user, client_as, claim):
    make_user("mona")
    case_id, (zh_code, en_code) = _reporting_case(
        app, make_report, (ZH_CLAIM, "zhang@example.cn"), (EN_CLAIM, "alex@example.com"))
    _deliver(app)
    smtp.sink.messages.clear()  # the receipts
    _decide(app, client_as, claim, case_id)
    assert _deliver(app).sent == 2
    mails = {mail["To"]: mail for mail in smtp.sink.messages}
    zh_text, zh_html = _parts(mails["zhang@example.cn"])
    en_text, en_html = _parts(mails["alex@example.com"])
    assert mails["zhang@example.cn"]["Subject"] == f"您的举报 {zh_code} 已有结论：虚假"
    assert mails["alex@example.com"]["Subject"] == f"Decision on your report {en_code}: False"
    for text in (zh_text, zh_html):
        assert "处理理由说明" in text and "认定为“虚假”" in text and NOTE_EN in text
        assert "自动化手段：无" in text  # scoring is off: no model was involved
    for text in (en_text, en_html):
        assert "Statement of reasons" in text and NOTE_EN in text
        assert f"https://desk.example.org/status/{en_code}" in text
        assert "a person reviewed and decided" in text


def test_with_smtp_down_the_decision_commits_and_the_mail_waits_then_goes(
        app, smtp, make_report, make_user, client_as, claim):
    make_user("mona")
    case_id, [code] = _reporting_case(app, make_report, (EN_CLAIM, "alex@example.com"))
    smtp.stop()
    _decide(app, client_as, claim, case_id)  # commits although no mail server answers
    result = _deliver(app)
    assert (result.sent, result.failed, result.dead) == (0, 2, 0)  # receipt and decision
    waiting = _outbox(app)
    assert [m.status for m in waiting] == ["pending", "pending"]
    assert all(m.attempts == 1 and "Connection" in m.last_error for m in waiting)
    assert _deliver(app).failed == 0  # not due again before the backoff ends
    smtp.start()
    time.sleep(1.2)  # MAIL_RETRY_SECONDS
    assert _deliver(app).sent == 2
    assert sorted(m["Subject"] for m in smtp.sink.messages) == [
        f"Decision on your report {code}: False", f"We received your report {code}"]
    assert [m.status for m in _outbox(app)] == ["sent", "sent"]
    ids = {m["Message-ID"] for m in smtp.sink.messages}
    assert {f"<outbox-{m.id}.{m.created_at:%Y%m%d%H%M%S}@example.org>" for m in _outbox(app)} == ids


def test_a_message_failing_every_attempt_becomes_dead_and_admins_send_it_again(
        app, smtp, make_report, make_user, client_as):
    smtp.stop()
    make_report(claim=EN_CLAIM, contact_email="alex@example.com", contact_consent=True)
    for _ in range(3):  # MAIL_MAX_ATTEMPTS
        with app.app_context():
            db.session.execute(db.update(OutboxMessage).values(next_attempt_at=db.func.now()))
            db.session.commit()
        _deliver(app)
    [message] = _outbox(app)
    assert (message.status, message.attempts) == ("dead", 3)
    make_user("root", role="admin")
    page = client_as("root").get("/staff/outbox?status=dead",
                                 headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'id="message-{message.id}"' in page and "Failed (dead letter)" in page
    listing = app.test_cli_runner().invoke(args=["notifications", "list", "--status", "dead"])
    assert f"{message.id}\tdead\treceipt\ten\tattempts=3" in listing.output
    retried = client_as("root").post("/staff/outbox/retry", data={"message_id": message.id})
    assert retried.status_code == 303
    assert [m.status for m in _outbox(app)] == ["pending"]  # the view committed
    with app.app_context():
        db.session.execute(db.update(OutboxMessage).values(status="dead"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "retry", str(message.id)])
    assert "1 dead message(s) will be sent again." in result.output
    smtp.start()
    assert _deliver(app).sent == 1 and len(smtp.sink.messages) == 1


def test_without_a_mail_server_nothing_is_queued(app_factory, make_report):
    app = app_factory()
    with app.app_context():
        report = Report(tracking_code="x", channel="web", language="en", claim=EN_CLAIM,
                        contact_email="alex@example.com", contact_consent=True)
        assert notifications.queue_receipt(report) is None
    assert _outbox(app) == []


def test_the_stop_link_forgets_the_address_and_no_decision_mail_follows(
        app, smtp, make_report, make_user, client_as, claim):
    make_user("mona")
    case_id, [code] = _reporting_case(app, make_report, (EN_CLAIM, "alex@example.com"))
    _deliver(app)
    [receipt] = smtp.sink.messages
    link = re.search(r"https://desk\.example\.org(/status/\S+/stop-mail/\S+)",
                     _parts(receipt)[0])[1]
    client = app.test_client()
    assert client.get(link.replace(code, "RD-AAAA-AAAA")).status_code == 404
    page = client.get(link, headers={"Accept-Language": "zh"})
    assert page.status_code == 200 and "不再发送相关邮件" in page.get_data(as_text=True)
    with app.app_context():  # a mail scanner opening the link changes nothing
        assert db.session.scalars(db.select(Report.contact_email)).one() == "alex@example.com"
    assert client.post(link).status_code == 200
    with app.app_context():
        assert db.session.scalars(db.select(Report.contact_email)).one() is None
    _decide(app, client_as, claim, case_id)
    assert [m.kind for m in _outbox(app)] == ["receipt"]

