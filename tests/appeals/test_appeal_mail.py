"""The appeal outcome reaches every consenting reporter through the outbox, in their language."""

import pytest
from notifications.test_notifications import EN_CLAIM, ZH_CLAIM, _deliver

from intake.core.extensions import db
from intake.core.models import Report
from intake.notifications.models import OutboxMessage

from .appeal_helpers import NOTE, appeal, decide

REVERSAL = "新的现场视频显示起火车辆确为电动汽车。 New footage shows the car was electric."


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_TIMEOUT=3,
                       PUBLIC_URL="https://desk.example.org",
                       MAIL_FROM="Report Desk <desk@example.org>")



def _case(app, make_report) -> tuple[int, list[str]]:
    """One case: a Chinese and an English reporter who consented, and one who did not."""
    codes = [make_report(claim=ZH_CLAIM, contact_email="zhang@example.cn", contact_consent=True),
             make_report(claim=EN_CLAIM, contact_email="alex@example.com", contact_consent=True),
             make_report(claim=EN_CLAIM + " again")]
    with app.app_context():
        rows = [db.session.scalars(db.select(Report).where(Report.tracking_code == c)).one()
                for c in codes]
        case = rows[0].case
        for row in rows[1:]:
            if row.case_id != case.id:
                row.case.status, row.case.merged_into_id = "merged", case.id
                row.case = case
        case.topic, case.report_count = "battery-safety", 3
        db.session.commit()
        return case.id, codes


@pytest.mark.parametrize("result", ["reversed", "upheld"])
def test_the_appeal_outcome_mail_arrives_in_each_reporters_language(
        app, smtp, make_report, make_user, client_as, claim, result):
    make_user("mona")
    make_user("nina")
    case_id, (zh_code, en_code, _silent) = _case(app, make_report)
    claim(case_id, "mona")
    decide(client_as("mona"), case_id)
    assert appeal(app.test_client(), en_code).status_code == 303
    _deliver(app)
    smtp.sink.messages.clear()  # receipts and decision mails
    claim(case_id, "nina")
    response = client_as("nina").post(f"/staff/cases/{case_id}/appeal", data={
        "result": result, "new_outcome": "accurate" if result == "reversed" else "",
        "public_note": REVERSAL if result == "reversed" else NOTE})
    assert response.status_code == 303, response.get_data(as_text=True)

    assert _deliver(app).sent == 2  # the reporter without consent gets nothing
    mails = {mail["To"]: mail for mail in smtp.sink.messages}
    assert set(mails) == {"zhang@example.cn", "alex@example.com"}
    zh, en = mails["zhang@example.cn"], mails["alex@example.com"]
    assert zh["Content-Language"] == "zh-CN" and en["Content-Language"] == "en"
    zh_text = zh.get_body(("plain",)).get_content()
    en_html = en.get_body(("html",)).get_content()
    if result == "reversed":
        assert zh["Subject"] == f"举报 {zh_code} 的申诉结果：结论改为属实"
        assert en["Subject"] == f"Appeal on report {en_code}: the decision was changed to Accurate"
        assert "改判：另一位审核员将结论由“虚假”改为“属实”。" in zh_text and REVERSAL in zh_text
        assert 'changed the outcome from "False" to "Accurate"' in en_html
    else:
        assert zh["Subject"] == f"举报 {zh_code} 的申诉结果：维持原结论"
        assert en["Subject"] == f"Appeal on report {en_code}: the decision was upheld"
        assert "维持结论“虚假”" in zh_text and NOTE in zh_text
        assert 'kept the outcome "False"' in en_html
    assert f"https://desk.example.org/status/{zh_code}" in zh_text
    with app.app_context():
        kinds = db.session.scalars(db.select(OutboxMessage.kind).where(
            OutboxMessage.status == "sent", OutboxMessage.kind == "appeal"))
        assert len(list(kinds)) == 2


def test_the_decision_mail_links_to_the_appeal(app, smtp, make_report, make_user, client_as,
                                               claim):
    make_user("mona")
    case_id, (_zh, en_code, _silent) = _case(app, make_report)
    claim(case_id, "mona")
    decide(client_as("mona"), case_id)
    _deliver(app)
    [decision] = [m for m in smtp.sink.messages if m["To"] == "alex@example.com"
                  and m["Subject"].startswith("Decision")]
    text = decision.get_body(("plain",)).get_content()
    link = f"https://desk.example.org/status/{en_code}/appeal"
    assert "appeal free of charge within 183 days" in text and link in text
    followed = app.test_client().get(link.removeprefix("https://desk.example.org"))
    assert followed.status_code == 303
    assert followed.headers["Location"].endswith(f"/status/{en_code}#appeal")
