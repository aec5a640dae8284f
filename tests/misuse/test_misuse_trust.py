"""Lower trust after repeated spam: counted from decisions in the window, never a counter."""

from datetime import timedelta

import pytest
from sql_log import recorded

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.misuse import trust as misuse
from intake.triage import scoring as triage

from .misuse_data import open_case, partner_id, spam_history


@pytest.mark.parametrize(("spam", "points"), [(0, None), (2, None), (3, -5.0), (4, -10.0),
                                              (9, -30.0), (20, -30.0)])
def test_a_reporter_key_loses_trust_from_the_threshold_capped(app, spam, points):
    with app.app_context():
        spam_history("k-spammer", count=spam)
        case = open_case(("k-spammer", None))
        assert case.priority_components.get("trust") == points
        assert misuse.case_trust(case) == points


@pytest.mark.parametrize(("days_ago", "penalised"), [(29.9, True), (30.1, False)])
def test_a_spam_decision_outside_the_window_does_not_count(app, days_ago, penalised):
    with app.app_context():
        spam_history("k-old", count=2)
        spam_history("k-old", count=1, days_ago=days_ago)
        case = open_case(("k-old", None))
        assert ("trust" in case.priority_components) is penalised


def test_a_decision_no_longer_current_does_not_count(app):
    with app.app_context():
        spam_history("k-reopened", count=2)
        spam_history("k-reopened", count=1, current=False)  # reopened, or decided again
        assert "trust" not in open_case(("k-reopened", None)).priority_components


def test_a_spamming_partner_loses_its_bonus_and_more(app):
    with app.app_context():
        acme, other = partner_id("Acme"), partner_id("Other")
        spam_history(partner_id=acme, count=4)
        assert open_case((None, acme)).priority_components["trust"] == -10.0
        assert open_case((None, other)).priority_components["trust"] == 10.0


def test_a_partners_spam_is_not_the_keys_and_the_keys_not_the_partners(app):
    with app.app_context():
        acme = partner_id("Acme")
        spam_history("k-relayed", partner_id=acme, count=3)  # the partner answers for it
        assert "trust" not in open_case(("k-relayed", None)).priority_components
        assert open_case((None, acme)).priority_components["trust"] == -5.0


@pytest.mark.parametrize("others", [[("k-honest", None)], [(None, None)]],
                         ids=["another-reporter", "an-anonymous-report"])
def test_a_case_with_an_ordinary_reporter_is_not_punished_for_a_spammer(app, others):
    with app.app_context():
        spam_history("k-spammer", count=5)
        case = open_case(("k-spammer", None), *others)
        assert "trust" not in case.priority_components


def test_a_case_only_spammers_reported_takes_the_mildest_penalty(app):
    with app.app_context():
        spam_history("k-a", count=3)
        spam_history("k-b", count=8)
        assert open_case(("k-a", None), ("k-b", None)).priority_components["trust"] == -5.0


def test_refreshing_applies_and_ends_the_penalty_as_decisions_come_and_age(app, runner):
    with app.app_context():
        case_id = open_case(("k-later", None)).id
        assert "trust" not in db.session.get_one(Case, case_id).priority_components
        spam_history("k-later", count=3)
    assert runner.invoke(args=["cases", "reprioritise"]).exit_code == 0
    with app.app_context():
        before = db.session.get_one(Case, case_id)
        assert before.priority_components["trust"] == -5.0
        db.session.execute(db.update(Decision).values(
            decided_at=utcnow() - timedelta(days=31)))  # the window moves on
        db.session.commit()
    assert runner.invoke(args=["cases", "reprioritise"]).exit_code == 0
    with app.app_context():
        assert "trust" not in db.session.get_one(Case, case_id).priority_components


def test_a_new_report_of_a_spammer_is_ranked_below_an_honest_one(app):
    with app.app_context():
        spam_history("k-spammer", count=3)
        low, fair = open_case(("k-spammer", None)), open_case(("k-honest", None))
        assert low.priority == pytest.approx(fair.priority - 5.0, abs=0.2)
        triage.refresh_case(low)  # refreshing again gives the same, not a drifting count
        assert low.priority_components["trust"] == -5.0


@pytest.mark.parametrize(("language", "points", "label"), [
    ("en", -5.0, "Low trust: repeated spam"), ("zh", -5.0, "低信任：多次无效举报"),
    ("en", -100.0, "Reported only by suspended reporters"),
    ("zh", -100.0, "仅由被暂停的举报人或合作方举报"),
    ("en", 10.0, "Trusted partner"), ("zh", 10.0, "可信合作方")])
def test_the_trust_component_is_labelled_by_what_it_means(client, make_user, login, make_case,
                                                          language, points, label):
    make_user("mod")
    login("mod")
    case_id = make_case(priority=30.0, priority_components={"actionable": 30.0, "trust": points})
    page = client.get(f"/staff/cases/{case_id}", headers={"Accept-Language": language})
    assert f'<th scope="row">{label}</th><td>{points:.1f}</td>' in page.get_data(as_text=True)


def test_spam_trust_settings_that_make_no_sense_stop_the_app(app_factory):
    with pytest.raises(RuntimeError, match="SPAM_TRUST_STEP"):
        app_factory(SPAM_TRUST_STEP=50, SPAM_TRUST_CAP=20)
    with pytest.raises(RuntimeError, match="SPAM_TRUST_THRESHOLD"):
        app_factory(SPAM_TRUST_THRESHOLD=0)


def test_with_no_recent_spam_a_sources_reports_are_not_read(app):
    # A busy source (a partner, a spammer, a bench) has thousands of reports: counting its
    # spam must start from the few recent spam decisions, or every report it sends costs
    # more than the last (intake fell from 215 to 60 reports/s that way, bench/README.md).
    with app.app_context():
        spam_history("k-busy", count=2, current=False)  # decided, reopened: none current
        case = open_case(("k-busy", None))
        with recorded(db.engine) as statements:
            assert misuse.spam_counts(Report.reporter_key, {"k-busy"}, app.config) == {}
        assert statements and not any("reports" in sql for sql in statements)
        assert "trust" not in case.priority_components


def test_a_cases_sources_are_read_from_an_index_alone(app):
    # Every join reads the case's sources under SQLite's write lock. Read from the table,
    # a case one address reported thousands of times cost milliseconds per join (the intake
    # bench's cases: 3.5 ms at 2,000 reports); read from an index it does not grow with them.
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("reads SQLite's query plans")
        case = open_case(*[("k-busy", None)] * 60, (None, None), (None, partner_id()))
        with recorded(db.engine, parameters=True) as statements:
            assert misuse.case_trust(case) == 10.0  # the partner's bonus
        connection = db.session.connection()
        read = [(sql, connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all())
                for sql, params in statements if "FROM reports" in sql]
        assert len(read) == 2  # the case's partners and its reporter keys
        for sql, plan in read:
            assert all("COVERING INDEX" in row[-1] for row in plan), (sql, plan)
