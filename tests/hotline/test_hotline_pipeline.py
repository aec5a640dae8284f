"""Hotline reports go through the same pipeline as web reports: scored, ranked, and an
urgent call raises the priority of its case."""

import pytest
from sql_log import recorded

from intake.cases import priority
from intake.core.extensions import db
from intake.core.models import Report

from .hotline_data import call_form, call_row, write_log

BATTERY = "网传视频称某品牌电动车在小区地下车库充电时电池起火自燃爆炸，转发扩散！"
RUMOUR = "网传某新能源车企明年将推出新款车型，价格更便宜。"
# Another low-risk claim, about something else, so it gets its own case.
OTHER = "有人说本地一家汽车经销商周末打折促销，不知真假。"


@pytest.fixture
def operator_client(scoring_app, make_user):
    make_user("olga", role="operator", desks=())
    client = scoring_app.test_client()
    client.post("/staff/login", data={"username": "olga", "password": "correct horse battery"})
    return client


def _by_claim(app) -> dict[str, Report]:
    with app.app_context():
        reports = list(db.session.scalars(db.select(Report)))
        for report in reports:
            assert report.case is not None
        db.session.expunge_all()
        return {r.claim: r for r in reports}


def test_a_call_is_scored_routed_and_ranked(scoring_app, operator_client):
    assert operator_client.post("/staff/hotline", data=call_form(claim=BATTERY)).status_code == 303
    report = _by_claim(scoring_app)[BATTERY]
    assert report.scoring_status == "scored" and report.topic == "battery-safety"
    case = report.case
    assert case.topic == "battery-safety" and case.priority is not None and case.band
    trust = scoring_app.config["CHANNEL_TRUST"]["hotline"]
    assert case.priority_components["channel"] == round(
        scoring_app.config["PRIORITY_WEIGHTS"]["channel"] * trust, 2)


def test_urgency_raises_priority_to_the_floor(scoring_app, operator_client):
    operator_client.post("/staff/hotline", data=call_form(claim=RUMOUR))
    other = call_form(claim=OTHER, explanation="价格看着太低了。", urgent="y")
    operator_client.post("/staff/hotline", data=other)
    reports = _by_claim(scoring_app)
    calm, urgent = reports[RUMOUR].case, reports[OTHER].case
    assert calm.id != urgent.id, "two different claims must not share a case"
    floor = scoring_app.config["URGENT_PRIORITY_FLOOR"]
    assert calm.priority < floor <= urgent.priority
    assert urgent.urgent and not calm.urgent and urgent.band == "P1"


def test_imported_calls_are_scored_like_any_report(scoring_app, tmp_path):
    path = write_log(tmp_path / "calls.csv", [call_row(1, summary=BATTERY, urgent="1")])
    result = scoring_app.test_cli_runner().invoke(args=["hotline", "import", str(path)])
    assert result.exit_code == 0, result.output
    report = _by_claim(scoring_app)[BATTERY]
    assert report.scoring_status == "scored" and report.topic == "battery-safety"
    assert report.case.urgent and report.case.priority >= scoring_app.config[
        "URGENT_PRIORITY_FLOOR"]


@pytest.mark.parametrize("urgent, expected", [(False, 30.0), (True, 70.0)])
def test_priority_honours_the_urgent_floor(app, urgent, expected):
    item = priority.PriorityInput(p_actionable=0.1, topic="off-topic", text="hello",
                                  channel="hotline", urgent=urgent)
    total, _parts, band = priority.score(item, app.config)
    assert (total >= expected) if urgent else (total < expected)
    assert (band == "P1") == urgent


def test_calls_of_one_batch_about_one_rumour_join_one_case_each_counted(scoring_app, tmp_path):
    rows = [call_row(n, summary=f"{BATTERY}（第{n}位来电者）") for n in range(1, 9)]
    path = write_log(tmp_path / "calls.csv", rows)
    with scoring_app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        result = scoring_app.test_cli_runner().invoke(args=["hotline", "import", str(path)])
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE CASES")]
    assert result.exit_code == 0, result.output
    with scoring_app.app_context():
        cases = {report.case for report in _by_claim(scoring_app).values()}
        assert len(cases) == 1
        case = cases.pop()
        assert (case.report_count, case.reporter_count) == (8, 8)
        assert case.topic_counts == {"battery-safety": 8}
    # Each joining call locks (and reloads) its case, also when the batch holds it already:
    # the first call opens the case, the seven others join it, one lock statement each.
    assert sum("RETURNING" in statement for statement in updates) == 7
