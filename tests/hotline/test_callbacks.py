"""The operators' call-back list: written with the decision, numbers only to operators, audited."""

from intake.audit.models import AuditEvent
from intake.cases import decisions
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.users.models import User

ZH = {"Accept-Language": "zh"}
NUMBER = "+8613912345678"
CALLER_CLAIM = ("来电人说朋友圈流传一条消息，称某品牌电动车在地下车库充电时电池爆炸，"
                "整栋楼被疏散，还说物业已经禁止所有电动车在车库充电。")


OTHER_CLAIM = "A caller heard on the radio that robotaxis in Beijing will be banned next month."


def _hotline_case(app, make_report, consent: bool = True,
                  claim: str = CALLER_CLAIM) -> tuple[int, str]:
    code = make_report(channel="hotline", claim=claim, contact_phone=NUMBER,
                       contact_consent=consent)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        report.case.topic = "battery-safety"
        db.session.commit()
        return report.case_id, code


def _decide(app, case_id: int, note: str = "视频是2021年另一城市的旧闻，与充电无关。") -> None:
    with app.app_context():
        root = db.session.scalars(db.select(User).where(User.username == "root")).one()
        decisions.decide(db.session.get_one(Case, case_id), root, "false", public_note=note)
        db.session.commit()  # the view's commit


def _sign_in(client, name: str):
    response = client.post("/staff/login", data={"username": name,
                                                  "password": "correct horse battery"})
    assert response.status_code == 303


def test_a_decided_callers_call_back_is_listed_for_operators_with_a_script(
        app, make_report, make_user):
    make_user("root", role="admin")
    make_user("olga", role="operator", desks=())
    case_id, code = _hotline_case(app, make_report)
    silent_case, silent_code = _hotline_case(app, make_report, consent=False,
                                              claim=OTHER_CLAIM)
    client = app.test_client()
    _sign_in(client, "olga")
    assert code not in client.get("/staff/callbacks", headers=ZH).get_data(as_text=True)
    _decide(app, case_id)
    _decide(app, silent_case)
    page = client.get("/staff/callbacks", headers={"Accept-Language": "en"})
    body = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert f'id="callback-{code}"' in body and NUMBER in body
    assert silent_code not in body  # no consent, no call-back
    # The script is in the caller's language although the operator reads English pages.
    assert "结论是：虚假。" in body and "视频是2021年另一城市的旧闻" in body

    response = client.post(f"/staff/callbacks/{code}/done")
    assert response.status_code == 303
    assert code not in client.get("/staff/callbacks").get_data(as_text=True)
    again = client.post(f"/staff/callbacks/{code}/done", headers={"Accept-Language": "en"})
    assert again.status_code == 400
    assert "no call-back waiting" in again.get_data(as_text=True)
    with app.app_context():
        [event] = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "callback.done")).all()
        assert event.actor_name == "olga"
        assert NUMBER not in str(event.before) + str(event.after)


def test_the_number_shows_to_operators_only(app, make_report, make_user):
    make_user("root", role="admin")
    make_user("mona")
    case_id, _code = _hotline_case(app, make_report)
    _decide(app, case_id)
    for name in ("root", "mona"):
        client = app.test_client()
        _sign_in(client, name)
        response = client.get("/staff/callbacks")
        assert response.status_code == 403 and NUMBER not in response.get_data(as_text=True)
