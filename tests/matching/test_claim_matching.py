"""Claim matching: a new report like a decided case shows the verdict, moves P, may apply it."""

import pytest

from intake.audit.models import AuditEvent
from intake.cases import decisions
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report
from intake.matching.formula import adjusted
from intake.reports import status as report_status
from intake.triage import scoring as triage
from intake.users.models import User

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}
LINK = "https://weibo.com/1234567890/NfXyZ12ab?from=timeline"
FIRE_EN = ("Tesla battery fire in a Shanghai underground garage while charging, "
           "12 cars burned overnight")
FIRE_ZH = "特斯拉电池在上海地下车库充电时起火，一夜烧毁12辆车"
NOTE = "The video is from 2021 and shows another car park."


@pytest.fixture
def app(scoring_app):
    """Reports are scored on intake with the starter model."""
    return scoring_app


@pytest.mark.parametrize(("p", "outcome", "s", "w", "expected"), [
    (0.2, "false", 1.0, 0.8, 0.84),  # 1 - 0.8 * 0.2
    (0.2, "misleading", 0.5, 0.8, 0.52),  # 1 - 0.8 * 0.6
    (0.9, "accurate", 1.0, 0.8, 0.18),
    (0.9, "accurate", 0.5, 0.8, 0.54),
    (0.4, "unverifiable", 1.0, 0.8, 0.4),
    (0.4, "spam", 1.0, 0.8, 0.4),
    (0.0, "false", 1.0, 1.0, 1.0),
    (1.0, "accurate", 1.0, 1.0, 0.0),
    (0.3, "false", 0.0, 0.8, 0.3),  # no similarity: no change
])
def test_the_formula(p, outcome, s, w, expected):
    assert adjusted(p, outcome, s, w) == pytest.approx(expected)


def _decided(app, make_reported_case, make_user, claim_case, outcome: str, **fields) -> int:
    make_user("mona", desks=("battery-safety", "off-topic", "autonomous-driving",
                             "vehicle-data", "policy-standards", "industry-market",
                             "road-cloud"))
    case_id, _codes = make_reported_case(topic=None, **fields)
    claim_case(case_id, "mona")
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        case = db.session.get(Case, case_id)
        decisions.decide(case, mona, outcome, case.topic or "battery-safety", NOTE)
        db.session.commit()  # the view's commit
    return case_id


def _case_of(app, code: str) -> tuple[Case, Report]:
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        db.session.expunge_all()
        return db.session.get(Case, report.case_id), report


def test_same_link_matches_a_false_case_and_raises_p(app, make_reported_case, make_user, claim,
                                                     make_report):
    source = _decided(app, make_reported_case, make_user, claim, "false", urls=[LINK],
                      claim="A video says a parked EV caught fire by itself in Wuhan.")
    code = make_report(claim="Is this true? Someone forwarded me this clip about a car.",
                       explanation=None, urls=[LINK.replace("?from=timeline", "")])
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        case, match = report.case, report.reasons["match"]
        assert case.id != source and case.match_case_id == source
        assert case.match_outcome == "false" and case.match_similarity == 1.0
        assert match["via"] == "link" and match["outcome"] == "false"
        p_model = report.reasons["p_model"]
        assert report.p_actionable == pytest.approx(1 - (1 - p_model) * (1 - 0.8))
        assert report.p_actionable > p_model and case.p_actionable == report.p_actionable
        # A rescore with the active model keeps the decided verdict in P.
        for _ in triage.rescore_batches(only_unscored=False):
            db.session.commit()
        db.session.refresh(report)
        assert report.p_actionable == pytest.approx(1 - (1 - p_model) * (1 - 0.8))


def test_chinese_report_matches_an_english_accurate_case_and_lowers_p(
        app, make_reported_case, make_user, claim, make_report):
    source = _decided(app, make_reported_case, make_user, claim, "accurate", claim=FIRE_EN,
                      explanation=None)
    code = make_report(claim=FIRE_ZH, explanation=None, language="zh")
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        assert report.case.match_case_id == source
        match = report.reasons["match"]
        assert match["via"] == "text" and 0.5 <= match["similarity"] < 1.0
        assert report.p_actionable == pytest.approx(
            report.reasons["p_model"] * (1 - match["similarity"] * 0.8))
        assert report.p_actionable < report.reasons["p_model"]


def test_unrelated_report_matches_nothing(app, make_reported_case, make_user, claim, make_report):
    _decided(app, make_reported_case, make_user, claim, "false", claim=FIRE_EN, explanation=None)
    code = make_report(claim="A new V2X pilot zone opened in Chengdu with 300 roadside units.",
                       explanation=None)
    case, report = _case_of(app, code)
    assert case.match_case_id is None and "match" not in (report.reasons or {})


def test_queue_and_case_page_say_which_case_and_apply_decides_the_same(
        app, make_reported_case, make_user, claim, make_report, client_as):
    source = _decided(app, make_reported_case, make_user, claim, "false", urls=[LINK],
                      claim="A video says a parked EV caught fire by itself in Wuhan.")
    codes = [make_report(claim=f"Saw this clip again today, number {i}, is it real?",
                         explanation=None, urls=[LINK]) for i in range(2)]
    case, _report = _case_of(app, codes[0])
    with app.app_context():
        decided_on = db.session.get(Case, source).decided_at.strftime("%Y-%m-%d")
        # Both reports in one case (clustering joins them by the link).
        assert {r.case_id for r in db.session.scalars(db.select(Report).where(
            Report.tracking_code.in_(codes)))} == {case.id}
    mona = client_as("mona")
    queue = mona.get(f"/staff/queue?desk={case.topic}", headers=EN).get_data(as_text=True)
    assert f'href="/staff/cases/{source}">Matches #{source}</a>' in queue
    assert f", decided False on {decided_on} (UTC)" in queue
    queue_zh = mona.get(f"/staff/queue?desk={case.topic}", headers=ZH).get_data(as_text=True)
    assert f"匹配 #{source}" in queue_zh and "虚假" in queue_zh
    claim(case.id, "mona")
    page = mona.get(f"/staff/cases/{case.id}", headers=EN).get_data(as_text=True)
    assert f"Matches #{source}</a>" in page and NOTE in page and 'id="apply-match"' in page
    response = mona.post(f"/staff/cases/{case.id}/apply-match", headers=EN)
    assert response.status_code == 303
    with app.app_context():
        decided = db.session.get(Case, case.id)
        assert decided.status == "resolved" and decided.outcome == "false"
        assert decided.public_note == NOTE
        decision = db.session.scalars(db.select(Decision).where(
            Decision.case_id == case.id)).one()
        assert decision.outcome == "false" and decision.current
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.target_id == str(case.id)).order_by(AuditEvent.id))]
        assert actions[-2:] == ["case.apply_match", "case.decide"]
        for code in codes:  # every reporter of the case sees the verdict and the note
            status = report_status.status_for(code)
            assert status.outcome == "false" and status.public_note == NOTE
    again = mona.post(f"/staff/cases/{case.id}/apply-match", headers=EN)
    assert again.status_code == 409


def test_apply_refuses_when_the_matched_case_was_reopened(
        app, make_reported_case, make_user, claim, make_report, client_as):
    source = _decided(app, make_reported_case, make_user, claim, "false", urls=[LINK],
                      claim="A video says a parked EV caught fire by itself in Wuhan.")
    case, _report = _case_of(app, make_report(claim="Another forward of that clip, true?",
                                              explanation=None, urls=[LINK]))
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        decisions.reopen(db.session.get(Case, source), mona)
        db.session.commit()  # the view's commit
    claim(case.id, "mona")
    for headers, message in ((EN, "no longer decided that way"), (ZH, "不再是")):
        response = client_as("mona").post(f"/staff/cases/{case.id}/apply-match",
                                          headers=headers)
        assert response.status_code == 409
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case.id).status == "under_review"
        assert not db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.apply_match")).all()


def test_a_refused_apply_undoes_its_own_record_in_its_savepoint(
        app, make_reported_case, make_user, claim, make_report):
    from intake.matching import decisions as match_decisions

    _decided(app, make_reported_case, make_user, claim, "false", urls=[LINK],
             claim="A video says a parked EV caught fire by itself in Wuhan.")
    case, _report = _case_of(app, make_report(claim="One more forward of that clip, true?",
                                              explanation=None, urls=[LINK]))
    with app.test_request_context(headers=EN):
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        with pytest.raises(decisions.DecisionError, match="Claim case"):  # not claimed
            match_decisions.apply_verdict(db.session.get(Case, case.id), mona)
        db.session.commit()  # even a caller that commits stores no half of it
        assert not db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.apply_match")).all()
