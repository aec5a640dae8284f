"""Case demand (reports, distinct reporters, last 24 h) feeds priority; similar cases."""

from datetime import timedelta

import pytest
from sql_log import recorded

from intake.cases import priority
from intake.clustering import operations as clustering
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.reports.operations import ReportInput, submit_report
from intake.triage import scoring as triage

FIRE = "Video claims a parked Tesla Model Y caught fire in an underground garage in Hangzhou"
FIRE_AGAIN = "Clip says a Tesla Model Y parked in a Hangzhou underground car park caught fire"
RECALL = "Post says Tesla is recalling 200,000 Model Y cars in China because of faulty brakes"


def _case_of(code: str) -> Case:
    report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
    return report.case


@pytest.mark.parametrize(("reports", "reporters", "last_day", "expected"), [
    (1, 1, 1, 0.0),
    (50, 1, 50, 0.0),  # one person sending the same report 50 times is no demand
    (8, 8, 1, 0.5),
    (8, 8, 8, 0.875),
    (300, 300, 300, 1.0),
])
def test_demand_counts_distinct_reporters_and_the_last_day(app, reports, reporters, last_day,
                                                           expected):
    item = priority.PriorityInput(p_actionable=0.5, topic="battery-safety", text="",
                                  channel="web", report_count=reports,
                                  reports_last_24h=last_day, reporter_count=reporters)
    weight = app.config["PRIORITY_WEIGHTS"]["demand"]

    assert priority.components(item, app.config)["demand"] == round(weight * expected, 2)


def _score(case_id: int, p_values: dict[int, float]) -> None:
    # What a model would write: enough for refresh_case, without training one here.
    for report in db.session.scalars(db.select(Report).where(Report.case_id == case_id)):
        report.scoring_status, report.topic = "scored", "battery-safety"
        report.p_actionable = p_values.get(report.id, 0.2)
        report.model_version = f"v{report.id}"


def test_refresh_case_aggregates_without_loading_the_case(app, make_report):
    codes = [make_report(claim=FIRE, reporter_key="a"),
             make_report("hotline", claim=FIRE_AGAIN, reporter_key="b"),
             make_report(claim=FIRE_AGAIN, reporter_key="a"),
             make_report("api", claim=FIRE, reporter_key=None)]
    with app.app_context():
        case = _case_of(codes[0])
        ids = sorted(r.id for r in db.session.scalars(db.select(Report)
                                                       .where(Report.case_id == case.id)))
        db.session.get(Report, ids[0]).received_at = utcnow() - timedelta(days=3)
        _score(case.id, {ids[2]: 0.9})
        db.session.commit()
        case = db.session.get(Case, case.id)

        triage.refresh_case(case)

        assert "reports" not in case.__dict__, "the case's reports were never loaded"
        assert (case.report_count, case.reporter_count) == (4, 3)
        assert case.channel == "hotline" and case.p_actionable == 0.9
        assert case.model_version == f"v{ids[-1]}" and case.topic == "battery-safety"
        assert case.title == FIRE and case.language == "en"
        assert case.priority_components["demand"] > 0


def test_more_reporters_raise_a_case_above_an_identical_single_report(app, make_report):
    crowd = [make_report(claim=FIRE, reporter_key=f"k{i}") for i in range(6)]
    alone = make_report(claim=RECALL, reporter_key="z")
    with app.app_context():
        busy, quiet = _case_of(crowd[0]), _case_of(alone)
        for case in (busy, quiet):
            _score(case.id, {})
        db.session.flush()
        for case in (busy, quiet):
            triage.refresh_case(case)
        assert busy.priority_components["demand"] > quiet.priority_components["demand"] == 0
        assert busy.priority > quiet.priority


def test_reports_through_the_api_from_many_addresses_raise_priority(scoring_app):
    app = scoring_app
    client = app.test_client()

    def post(address: str) -> str:
        response = client.post("/api/v1/reports", json={"claim": FIRE},
                               environ_base={"REMOTE_ADDR": address})
        return response.json["tracking_code"]

    first = post("192.0.2.1")
    with app.app_context():
        single = _case_of(first).priority
    codes = [post(f"192.0.2.{n}") for n in (2, 3, 4, 4)]
    with app.app_context():
        case = _case_of(first)
        assert {_case_of(code).id for code in codes} == {case.id}
        assert (case.report_count, case.reporter_count) == (5, 4)
        assert case.priority > single
        assert case.priority_components["demand"] > 0


def test_similar_cases_are_resolved_ones_about_the_same_thing(app, make_report):
    fire, recall, open_fire = (make_report(claim=FIRE), make_report(claim=RECALL),
                               make_report(claim=FIRE_AGAIN))
    with app.app_context():
        old_fire, old_recall = _case_of(fire), _case_of(recall)
        assert _case_of(open_fire).id == old_fire.id  # joined while open
        old_fire.status = old_recall.status = "resolved"
        db.session.commit()
    newer = make_report(claim=FIRE_AGAIN)
    with app.app_context():
        case = _case_of(newer)
        assert case.id != old_fire.id
        assert [c.id for c in clustering.similar_cases(case)] == [old_fire.id]
        assert clustering.similar_cases(case, resolved_only=False, limit=1)[0].id == old_fire.id


COUNTED = ("report_count", "reporter_count", "last_report_at", "channel", "p_actionable",
           "model_version", "topic", "topic_counts", "title", "language", "priority",
           "priority_components", "band")


def _statements_while(app, action) -> list[str]:
    with app.app_context():
        engine = db.engine
    with recorded(engine) as seen:
        action()
    return seen


def test_a_joining_report_updates_the_counters_as_a_full_count_would(scoring_app):
    app, made = scoring_app, []

    def report(channel: str, claim: str, key: str | None) -> None:
        with app.app_context():
            data = ReportInput(claim=claim, good_faith=True, reporter_key=key)
            made.append(submit_report(data, channel=channel, upload_dir=app.config["UPLOAD_DIR"])
                        [0].tracking_code)
            db.session.commit()

    report("web", FIRE, "a")
    with app.app_context():  # a case older than the counters: the next join counts it in full
        _case_of(made[0]).topic_counts = None
        db.session.commit()
    for channel, claim, key in [("web", FIRE_AGAIN, "b"), ("hotline", FIRE, "a"),
                                ("api", FIRE_AGAIN, None), ("web", FIRE, "c")]:
        report(channel, claim, key)
    statements = _statements_while(app, lambda: report("web", FIRE_AGAIN, "b"))
    with app.app_context():
        case = _case_of(made[0])
        assert {_case_of(code).id for code in made} == {case.id}
        counted = {name: getattr(case, name) for name in COUNTED}
        assert (counted["report_count"], counted["reporter_count"]) == (6, 4)
        assert counted["channel"] == "hotline" and counted["topic"] == "battery-safety"
        assert sum(counted["topic_counts"].values()) == 6
        case.topic_counts = None  # count the case again from its reports
        triage.refresh_case(case)
        assert {name: getattr(case, name) for name in COUNTED} == counted
    _assert_no_case_aggregates(statements)
    # Only time passes: `cases reprioritise` reads the same counters, not the reports.
    statements = _statements_while(app, lambda: app.test_cli_runner().invoke(
        args=["cases", "reprioritise"]))
    with app.app_context():
        case = _case_of(made[0])
        assert {name: getattr(case, name) for name in COUNTED[:8]} == {
            name: counted[name] for name in COUNTED[:8]}
        assert case.priority is not None and case.priority_components["demand"] > 0
    _assert_no_case_aggregates(statements)


def _assert_no_case_aggregates(statements: list[str]) -> None:
    # An aggregate over one case's reports (its case_id bound); the spam look-ups of
    # intake/misuse/trust.py aggregate over one reporter's cases instead, which stays small.
    per_case = [s.lower() for s in statements if "reports.case_id = ?" in s.lower()
                or "reports.case_id = %(" in s.lower()]
    joined = " ".join(per_case)
    assert "count(distinct" not in joined and "group by reports" not in joined, \
        "counting a case from its counters must not aggregate over every report of it"
