"""Suspending a reporter key: CLI and admin button, audited; reports stored, marked, last."""

import pytest
from factories import PASSWORD

from intake.audit.trail import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case
from intake.misuse.models import ReporterSuspension
from intake.reports.operations import ReportInput, submit_report

from .misuse_data import open_case, partner_id

KEY = "0123456789abcdef0123456789abcdef"
EMAIL = "troll@example.org"
EN = {"Accept-Language": "en"}


def _audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _suspended(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(ReporterSuspension.reporter_key)))


def test_suspend_list_and_lift_from_the_command_line_are_audited(app, runner):
    with app.app_context():
        case_id = open_case((KEY, None)).id
    assert runner.invoke(args=["reporters", "list-suspended"]).output.startswith("No reporter")
    result = runner.invoke(args=["reporters", "suspend", KEY[:8], "--reason", "Bulk spam"])
    assert result.exit_code == 0, result.output
    assert "Suspended reporter 0123456789…" in result.output and "1 open cases" in result.output
    assert _suspended(app) == {KEY}
    listed = runner.invoke(args=["reporters", "list-suspended"]).output
    assert KEY in listed and "Bulk spam" in listed
    with app.app_context():
        assert db.session.get_one(Case, case_id).priority_components["trust"] == -100.0
    [event] = _audit(app, "reporter.suspend")
    assert event.after == {"key_prefix": KEY[:10], "reason": "Bulk spam"}
    assert KEY not in str(event.after) and event.target_id == KEY[:10]

    result = runner.invoke(args=["reporters", "lift", KEY])
    assert result.exit_code == 0, result.output
    assert _suspended(app) == set()
    [lifted] = _audit(app, "reporter.lift")
    assert lifted.before == {"key_prefix": KEY[:10], "reason": "Bulk spam"}
    with app.app_context():
        assert "trust" not in db.session.get_one(Case, case_id).priority_components


@pytest.mark.parametrize(("args", "message"), [
    (["suspend", KEY, "--reason", "  "], "Say why"),
    (["suspend", "0123", "--reason", "x"], "at least 8"),
    (["suspend", "ffffffffff", "--reason", "x"], "No report has a reporter key"),
    (["suspend", "abcd-efgh", "--reason", "x"], "letters and digits"),
    (["lift", KEY], "not suspended"),
])
def test_command_line_mistakes_say_what_to_fix(app, runner, args, message):
    with app.app_context():
        open_case((KEY, None))
    result = runner.invoke(args=["reporters", *args])
    assert result.exit_code == 1 and message in result.output
    assert _suspended(app) == set() and not _audit(app, "reporter.suspend")


def test_an_ambiguous_prefix_is_refused(app, runner):
    with app.app_context():
        open_case((KEY, None), (KEY[:9] + "x" * 23, None))
    result = runner.invoke(args=["reporters", "suspend", KEY[:8], "--reason", "x"])
    assert result.exit_code == 1 and "More than one" in result.output


def test_a_suspended_reporters_new_report_is_stored_marked_and_ranked_last(
        scoring_app, make_user):
    app, client = scoring_app, scoring_app.test_client()
    runner = app.test_cli_runner()
    with app.app_context():
        open_case((KEY, None))  # so the key is known
    assert runner.invoke(args=["reporters", "suspend", KEY, "--reason", "Spam"]).exit_code == 0
    with app.app_context():
        report, created = submit_report(
            ReportInput(claim="Battery packs of this brand explode in the sun, share now!",
                        good_faith=True, reporter_key=KEY),
            channel="web", upload_dir=app.config["UPLOAD_DIR"])
        honest, _ = submit_report(
            ReportInput(claim="A charging station in Hefei caught fire and burned three cars.",
                        good_faith=True, reporter_key="f" * 32),
            channel="web", upload_dir=app.config["UPLOAD_DIR"])
        db.session.commit()
        assert created and report.id is not None  # stored, never refused
        low, fair = report.case, honest.case
        assert low.id != fair.id
        assert low.priority_components["trust"] == -100.0 and low.priority == 0.0
        assert fair.priority > low.priority
        case_id, report_id = low.id, report.id
    make_user("mod")
    client.post("/staff/login", data={"username": "mod", "password": PASSWORD})
    for language, mark in [("en", "Reporter suspended"), ("zh", "举报人已被暂停")]:
        page = client.get(f"/staff/cases/{case_id}", headers={"Accept-Language": language})
        body = page.get_data(as_text=True)
        assert f'id="misuse-{report_id}">{mark}' in body
        assert "suspend-form" not in body and KEY[:10] not in body  # moderators: no button


def _case_with_contact(app) -> tuple[int, int]:
    with app.app_context():
        case = open_case((KEY, None))
        report = case.reports[0]
        report.contact_email, report.contact_consent = EMAIL, True
        db.session.commit()
        return case.id, report.id


def test_an_admin_suspends_a_reporter_from_the_case_page(app, client, make_user, login):
    case_id, report_id = _case_with_contact(app)
    make_user("root", role="admin")
    login("root")
    page = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert f'id="suspend-form-{report_id}"' in page and "Suspend this reporter" in page
    assert f"<code>{KEY[:10]}…</code>" in page and KEY not in page
    form = page[page.index(f'id="suspend-form-{report_id}"'):]
    assert EMAIL not in form[:form.index("</form>")]  # the button knows the key, not the contact
    zh = client.get(f"/staff/cases/{case_id}", headers={"Accept-Language": "zh"})
    assert "暂停此举报人" in zh.get_data(as_text=True)

    url = f"/staff/reports/{report_id}/suspend-reporter"
    unconfirmed = client.post(url, data={"reason": "Floods the form"}, headers=EN)
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.get_data(as_text=True)
    no_reason = client.post(url, data={"reason": " ", "confirm": "y"},
                            headers={"Accept-Language": "zh"})
    assert no_reason.status_code == 400 and "请用 1 到 500 个字符" in no_reason.get_data(
        as_text=True)
    assert _suspended(app) == set()

    done = client.post(url, data={"reason": "Floods the form", "confirm": "y"})
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/staff/cases/{case_id}#report-{report_id}")
    assert _suspended(app) == {KEY}
    [event] = _audit(app, "reporter.suspend")
    assert event.actor_name == "root" and event.after["reason"] == "Floods the form"
    with app.app_context():
        assert db.session.get_one(Case, case_id).priority_components["trust"] == -100.0
    again = client.post(url, data={"reason": "Again", "confirm": "y"})
    assert again.status_code == 409
    page = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert "Reporter suspended" in page and f'id="suspend-form-{report_id}"' not in page
    trail = client.get("/staff/audit", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "root 暂停了一位举报人" in trail


def test_moderators_cannot_suspend(app, client, make_user, login):
    case_id, report_id = _case_with_contact(app)
    make_user("mona")
    login("mona")
    response = client.post(f"/staff/reports/{report_id}/suspend-reporter",
                           data={"reason": "x", "confirm": "y"})
    assert response.status_code == 403 and _suspended(app) == set()


def test_a_partners_report_is_suspended_through_the_partner(app, client, make_user, login):
    with app.app_context():
        acme = partner_id()
        case = open_case((KEY, acme))
        report_id = case.reports[0].id
    make_user("root", role="admin")
    login("root")
    assert "suspend-form" not in client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    response = client.post(f"/staff/reports/{report_id}/suspend-reporter",
                           data={"reason": "x", "confirm": "y"}, headers=EN)
    assert response.status_code == 400 and "flask partners suspend" in response.get_data(
        as_text=True)
    assert client.post("/staff/reports/999999/suspend-reporter").status_code == 404


def test_only_suspended_sources_rank_last_but_one_other_reporter_lifts_the_case(app, runner):
    with app.app_context():
        acme = partner_id()
        assert runner.invoke(args=["partners", "suspend", "Acme", "--reason", "x"]).exit_code == 0
        open_case((KEY, None))
    assert runner.invoke(args=["reporters", "suspend", KEY, "--reason", "x"]).exit_code == 0
    with app.app_context():
        both = open_case((KEY, None), (None, acme))
        assert both.priority_components["trust"] == -100.0
        mixed = open_case((KEY, None), ("k-honest", None))
        assert "trust" not in mixed.priority_components
