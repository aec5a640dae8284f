"""The status page's statement of reasons: what was decided, on what basis, automated means."""

import pytest

from intake.cases import decisions
from intake.core.extensions import db
from intake.core.models import Case
from intake.users.models import User

ZH = {"Accept-Language": "zh"}
EN = {"Accept-Language": "en"}
NOTE = "视频拍摄于2021年，起火的是一辆燃油车，与电池无关。"


@pytest.fixture(params=["scored", "unscored"])
def app(request, app_factory, scoring_app):
    """Reports are scored on intake by the starter model, or not scored at all."""
    return scoring_app if request.param == "scored" else app_factory()


def _decide(app, case_id: int, note: str | None) -> None:
    with app.app_context():
        root = db.session.scalars(db.select(User).where(User.username == "root")).one()
        decisions.decide(db.session.get_one(Case, case_id), root, "misleading",
                         "battery-safety", public_note=note)
        db.session.commit()  # the view's commit


def test_the_status_page_states_the_reasons_and_whether_a_model_was_involved(
        app, client_as, make_reported_case, make_user):
    make_user("root", role="admin")
    case_id, [code] = make_reported_case(claim="网传视频称一辆电动车在小区地库充电时电池爆炸起火，"
                                      "整栋楼的居民都被疏散，物业随后禁止电动车入库充电。")
    client = client_as(None)
    assert 'id="statement-of-reasons"' not in client.get(f"/status/{code}").get_data(
        as_text=True)  # nothing decided, nothing to state
    _decide(app, case_id, NOTE)
    zh = client.get(f"/status/{code}", headers=ZH).get_data(as_text=True)
    scored = app.config["SCORING_ENABLED"]
    assert 'id="statement-of-reasons"' in zh and "处理理由说明" in zh
    assert "审核员将被举报内容认定为“误导”" in zh and "依据：上面的说明" in zh
    assert ("自动化手段：模型估计了举报的紧急程度" in zh) is scored
    assert ("自动化手段：无" in zh) is not scored
    en = client.get(f"/status/{code}", headers=EN).get_data(as_text=True)
    assert 'rated the reported content "Misleading"' in en.replace("&#34;", '"')
