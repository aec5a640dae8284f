"""Merging cases and moving a report out: services, routes, permissions, audit."""

import pytest

from intake.audit.models import AuditEvent
from intake.clustering import merge as case_merge
from intake.core.extensions import db
from intake.core.models import Case, CaseTerm, Report

FIRE = "Video claims a parked Tesla Model Y caught fire in an underground garage in Hangzhou"
FIRE_AGAIN = "Clip says a Tesla Model Y parked in a Hangzhou underground car park caught fire"
RECALL = "Post says Tesla is recalling 200,000 Model Y cars in China because of faulty brakes"


def _case(app, case_id: int) -> Case:
    return db.session.get(Case, case_id)


def _report_ids(case_id: int) -> list[int]:
    return list(db.session.scalars(db.select(Report.id).where(Report.case_id == case_id)
                                   .order_by(Report.id)))


def test_merge_moves_every_report_and_closes_the_source(app, clustered_case):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(RECALL)
    with app.app_context():
        moved = _report_ids(source_id)
        case_merge.merge_cases(_case(app, target_id), _case(app, source_id), "cli:test")
        db.session.commit()

        target, source = _case(app, target_id), _case(app, source_id)
        assert set(moved) <= set(_report_ids(target_id))
        assert (target.report_count, target.reporter_count) == (3, 2)
        assert (source.status, source.merged_into_id, source.report_count) == ("merged",
                                                                              target_id, 0)
        left = db.session.scalars(db.select(CaseTerm).where(CaseTerm.case_id == source_id))
        assert left.all() == [], "a merged case leaves the index"


def test_merge_and_move_out_are_audited_with_before_and_after(app, clustered_case):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(RECALL)
    with app.app_context():
        case_merge.merge_cases(_case(app, target_id), _case(app, source_id), "cli:alice")
        db.session.commit()
        report = db.session.get(Report, _report_ids(target_id)[0])
        new = case_merge.move_report_out(report, "cli:alice")
        db.session.commit()

        events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
        merges = [e for e in events if e.action == "case.merge"]
        assert {e.target_id for e in merges} == {str(target_id), str(source_id)}
        assert merges[0].before["source"]["status"] == "open"
        assert merges[0].after["source"]["merged_into_id"] == target_id
        moves = [e for e in events if e.action == "case.move_out"]
        assert {e.target_id for e in moves} == {str(target_id), str(new.id)}
        assert moves[0].actor_name == "cli:alice"
        assert moves[0].before["case"]["report_count"] == 3
        assert moves[0].after["case"]["report_count"] == 2


def test_move_out_gives_the_report_a_case_of_its_own(app, clustered_case):
    case_id = clustered_case(FIRE, FIRE_AGAIN)
    with app.app_context():
        report = db.session.get(Report, _report_ids(case_id)[1])
        new = case_merge.move_report_out(report, "cli:test")
        db.session.commit()

        assert _report_ids(new.id) == [report.id]
        assert _case(app, case_id).report_count == 1
        assert (new.report_count, new.title) == (1, FIRE_AGAIN)
        assert db.session.scalars(db.select(CaseTerm).where(CaseTerm.case_id == new.id)).all()


@pytest.mark.parametrize(("statuses", "same", "reason"), [
    (("open", "open"), True, "same_case"),
    (("resolved", "open"), False, "closed"),
    (("open", "merged"), False, "closed"),
])
def test_merge_refuses_itself_and_closed_cases(app, clustered_case, statuses, same, reason):
    target_id = clustered_case(FIRE, status=statuses[0])
    source_id = target_id if same else clustered_case(RECALL, status=statuses[1])
    with app.app_context(), pytest.raises(case_merge.ClusterError) as caught:
        case_merge.merge_cases(_case(app, target_id), _case(app, source_id), "cli:test")
        db.session.commit()
    assert caught.value.reason == reason


def test_the_only_report_cannot_be_moved_out(app, clustered_case):
    case_id = clustered_case(RECALL)
    with app.app_context(), pytest.raises(case_merge.ClusterError, match="only_report"):
        case_merge.move_report_out(db.session.get(Report, _report_ids(case_id)[0]), "cli:t")
        db.session.commit()


# Who reaches merge and move-out: anonymous (to sign-in), operator, another desk, the desk, admin.
VISITORS = [
    (None, None, (), 303),
    ("olga", "operator", (), 403),
    ("mona", "moderator", ("vehicle-data",), 403),
    ("mia", "moderator", ("battery-safety",), 303),
    ("ada", "admin", (), 303),
]


@pytest.mark.parametrize(("who", "role", "desks", "status"), VISITORS)
def test_who_may_merge(app, client, make_user, login, clustered_case, who, role, desks, status):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(RECALL)
    if who:
        make_user(who, role, desks)
        login(who)

    response = client.post(f"/staff/cases/{source_id}/merge",
                           data={"into": str(target_id), "confirm": "yes"})

    assert response.status_code == status
    with app.app_context():
        merged = _case(app, source_id).status == "merged"
    assert merged == (who in ("mia", "ada"))
    if merged:
        # Back to the case page when the workspace has one, else the staff home.
        assert response.headers["Location"].endswith(("/staff/", f"/staff/cases/{target_id}"))


@pytest.mark.parametrize(("who", "role", "desks", "status"), VISITORS)
def test_who_may_move_a_report_out(app, client, make_user, login, clustered_case, who, role, desks,
                                   status):
    case_id = clustered_case(FIRE, FIRE_AGAIN)
    with app.app_context():
        report_id = _report_ids(case_id)[1]
    if who:
        make_user(who, role, desks)
        login(who)

    response = client.post(f"/staff/reports/{report_id}/move-out")

    assert response.status_code == status
    with app.app_context():
        moved = db.session.get(Report, report_id).case_id != case_id
    assert moved == (who in ("mia", "ada"))


def test_merging_into_another_desk_needs_that_desk_too(app, client, make_user, login,
                                                        clustered_case):
    target_id = clustered_case(FIRE, topic="vehicle-data")
    source_id = clustered_case(RECALL)
    make_user("mia", "moderator", ("battery-safety",))
    login("mia")

    assert client.post(f"/staff/cases/{source_id}/merge",
                       data={"into": str(target_id)}).status_code == 403


@pytest.mark.parametrize(("into", "message"), [
    ("", "Give the number of the case"),
    ("abc", "Give the number of the case"),
    ("999999", "There is no case number 999999"),
    ("self", "cannot be merged into itself"),
    ("closed", "Only open cases"),
])
def test_bad_merge_requests_say_what_to_fix(app, client, make_user, login, clustered_case, into,
                                            message):
    source_id = clustered_case(FIRE)
    closed_id = clustered_case(RECALL, status="resolved")
    into = {"self": str(source_id), "closed": str(closed_id)}.get(into, into)
    make_user("ada", "admin")
    login("ada")

    response = client.post(f"/staff/cases/{source_id}/merge", data={"into": into},
                           headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert _case(app, source_id).status == "open"


def test_unknown_ids_are_404(client, make_user, login):
    make_user("ada", "admin")
    login("ada")

    assert client.post("/staff/cases/999999/merge", data={"into": "1"}).status_code == 404
    assert client.post("/staff/reports/999999/move-out").status_code == 404


def test_merge_needs_the_csrf_token(app_factory, clustered_case):
    source_id, target_id = clustered_case(FIRE), clustered_case(RECALL)
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()

    response = client.post(f"/staff/cases/{source_id}/merge", data={"into": str(target_id)})

    assert response.status_code == 400
