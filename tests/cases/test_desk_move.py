"""Moving a case to another desk without deciding it: topic, rank, claim, audit, refusals."""

from datetime import timedelta

import pytest

from intake.audit.models import AuditEvent
from intake.cases import sla
from intake.core.extensions import db
from intake.core.models import Case, Report

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
REASON = "A charging-pile network outage, not a battery fault."


@pytest.fixture
def people(make_user):
    make_user("mona")  # battery-safety only
    make_user("mia", desks=("battery-safety", "road-cloud"))
    make_user("vic", desks=("vehicle-data",))
    make_user("otto", role="operator", desks=())
    make_user("root", role="admin", desks=())


@pytest.fixture
def routed(app, make_reported_case):
    """A battery-safety case as the model routed it, first reported three hours ago."""
    case_id, codes = make_reported_case(reports=2)
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        for report in case.reports:
            report.topic, report.scoring_status, report.p_actionable = \
                "battery-safety", "scored", 0.8
        case.topic_counts = {"battery-safety": 2}
        case.created_at -= timedelta(hours=3)
        db.session.commit()
    return case_id


def _move(client, case_id, desk="road-cloud", reason=REASON, headers=EN):
    return client.post(f"/staff/cases/{case_id}/move-desk", headers=headers,
                       data={"desk": desk, "reason": reason})


def _moves(app, case_id):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.move_desk", AuditEvent.target_id == str(case_id))))


def _snapshot(app, case_id):
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        return {"topic": case.topic, "desk_topic": case.desk_topic, "status": case.status,
                "claimed_by_id": case.claimed_by_id, "created_at": case.created_at,
                "sla_due_at": case.sla_due_at, "band": case.band, "priority": case.priority,
                "topic_counts": case.topic_counts,
                "report_topics": sorted(r.topic for r in case.reports)}


def test_the_case_page_offers_every_other_desk(client_as, people, routed):
    page = client_as("mona").get(f"/staff/cases/{routed}", headers=EN).get_data(as_text=True)
    form = page[page.index('id="move-desk-form"'):]
    form = form[:form.index("</form>")]
    assert 'value="road-cloud"' in form and 'value="vehicle-data"' in form
    assert 'value="battery-safety"' not in form  # its own desk
    assert 'name="reason"' in form
    zh = client_as("mona").get(f"/staff/cases/{routed}", headers=ZH).get_data(as_text=True)
    assert "移交到其他审核组" in zh and "移交案件" in zh


def test_moving_off_ones_own_desks_releases_the_claim(app, client_as, claim, people, routed):
    claim(routed, "mona")
    before = _snapshot(app, routed)
    response = _move(client_as("mona"), routed)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/queue"
    after = _snapshot(app, routed)
    assert after["topic"] == after["desk_topic"] == "road-cloud"
    # The model's prediction is kept as it was; the first report time (waiting) too.
    assert after["report_topics"] == ["battery-safety"] * 2
    assert after["topic_counts"] == {"battery-safety": 2}
    assert after["created_at"] == before["created_at"]
    assert after["sla_due_at"] == after["created_at"] + timedelta(
        hours=app.config["SLA_HOURS"][after["band"]])
    assert after["priority"] is not None
    assert after["claimed_by_id"] is None and after["status"] == "open"
    (event,) = _moves(app, routed)
    assert event.actor_name == "mona"
    assert event.before["topic"] == "battery-safety" and event.before["claimed_by"] == "mona"
    assert event.after["topic"] == "road-cloud" and event.after["claimed_by"] is None
    assert event.after["reason"] == REASON


def test_a_mover_on_both_desks_keeps_the_claim(app, client_as, claim, people, routed):
    claim(routed, "mia")
    response = _move(client_as("mia"), routed)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/cases/{routed}"
    after = _snapshot(app, routed)
    assert after["topic"] == "road-cloud" and after["status"] == "under_review"
    assert after["claimed_by_id"] is not None
    # The new desk's moderators see it; the old desk's no longer do.
    assert f'id="case-{routed}"' in client_as("mia").get(
        "/staff/queue?desk=road-cloud").get_data(as_text=True)
    assert client_as("mona").get(f"/staff/cases/{routed}").status_code == 403


def test_an_admin_moves_and_the_history_says_so_in_both_languages(app, client_as, people,
                                                                 routed):
    root = client_as("root")
    assert _move(root, routed, desk="vehicle-data").status_code == 303
    page = root.get(f"/staff/cases/{routed}", headers=EN).get_data(as_text=True)
    assert "root moved the case to another desk" in page and REASON in page
    zh = root.get(f"/staff/cases/{routed}", headers=ZH).get_data(as_text=True)
    assert "root 将此案移交到其他审核组" in zh and "车辆数据与网络安全" in zh


def test_re_ranking_keeps_the_moved_desk(app, client_as, people, routed):
    assert _move(client_as("mona"), routed).status_code == 303
    with app.app_context():
        for _ in sla.reprioritise_batches(actor="cli:test"):
            db.session.commit()
        db.session.commit()
    assert _snapshot(app, routed)["topic"] == "road-cloud"


@pytest.mark.parametrize("desk, reason, message", [
    ("battery-safety", REASON, "The case is already on this desk"),
    ("flying-cars", REASON, "Unknown desk: choose one from the list."),
    ("", REASON, "Choose the desk to move the case to."),
    ("road-cloud", "", "Say why the case moves."),
    ("road-cloud", "why", "Say why the case moves, in 5 to 1000 characters."),
])
def test_bad_moves_are_refused_with_what_to_fix(app, client_as, people, routed, desk, reason,
                                                message):
    before = _snapshot(app, routed)
    response = _move(client_as("mona"), routed, desk=desk, reason=reason)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'id="move-errors"' in page
    assert reason in page  # what was typed is kept
    assert _snapshot(app, routed) == before and not _moves(app, routed)


def test_refusals_in_chinese(client_as, people, routed):
    page = _move(client_as("mona"), routed, desk="battery-safety", headers=ZH)
    assert page.status_code == 400 and "此案已在该审核组" in page.get_data(as_text=True)


@pytest.mark.parametrize("who, status", [("vic", 403), ("otto", 403)])
def test_staff_who_cannot_work_the_case_may_not_move_it(app, client_as, people, routed, who,
                                                        status):
    assert _move(client_as(who), routed).status_code == status
    assert _snapshot(app, routed)["topic"] == "battery-safety" and not _moves(app, routed)


def test_a_case_someone_else_holds_or_a_decided_one_is_not_moved(app, client_as, claim,
                                                                  people, routed):
    claim(routed, "mia")
    held = _move(client_as("mona"), routed)
    assert held.status_code == 409 and "Another moderator holds case" in held.get_data(
        as_text=True)
    with app.app_context():
        db.session.get_one(Case, routed).status = "resolved"
        db.session.commit()
    decided = _move(client_as("root"), routed)
    assert decided.status_code == 409 and "reopen it to move it" in decided.get_data(
        as_text=True)
    assert not _moves(app, routed)


def test_unknown_case_is_404(client_as, people):
    assert _move(client_as("mona"), 999999).status_code == 404


def test_reports_keep_their_model_topic(app, client_as, people, routed):
    _move(client_as("mona"), routed)
    with app.app_context():
        topics = set(db.session.scalars(db.select(Report.topic).where(Report.case_id == routed)))
    assert topics == {"battery-safety"}
