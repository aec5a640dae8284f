"""Merging asks first, shows both cases, respects claims; moving out keeps the wait and SLA."""

from datetime import timedelta

import pytest

from intake.cases import claims
from intake.clustering import merge as case_merge
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.users.models import User

from .test_case_merging import FIRE, FIRE_AGAIN, RECALL

ZH_FIRE = "网传某车企将于下月起全面停产燃油车并裁员三成，经销商已接到内部通知。"


def _claim(app, case_id: int, name: str) -> None:
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == name)).one()
        assert claims.claim(case_id, user).ok
        db.session.commit()  # the view's commit


def _status(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get_one(Case, case_id).status


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_merge_shows_both_cases_side_by_side_and_waits_for_confirmation(
        app, client, make_user, login, clustered_case, lang):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(ZH_FIRE)
    make_user("mia", "moderator", ("battery-safety",))
    login("mia")
    client.get(f"/lang/{lang}")

    response = client.post(f"/staff/cases/{source_id}/merge", data={"into": f"#{target_id}"})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    source_box = page[page.index('id="merge-source"'):page.index('id="merge-target"')]
    target_box = page[page.index('id="merge-target"'):]
    assert ZH_FIRE in source_box and FIRE in target_box and FIRE_AGAIN in target_box
    assert 'name="confirm" value="yes"' in page
    assert _status(app, source_id) == "open"  # nothing happened yet

    done = client.post(f"/staff/cases/{source_id}/merge",
                       data={"into": str(target_id), "confirm": "yes"})
    assert done.status_code == 303 and _status(app, source_id) == "merged"


@pytest.mark.parametrize("held", ["source", "target"])
def test_a_case_another_moderator_holds_cannot_be_merged(app, client, make_user, login,
                                                         clustered_case, held):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(RECALL)
    make_user("nina", "moderator", ("battery-safety",))
    make_user("mia", "moderator", ("battery-safety",))
    _claim(app, source_id if held == "source" else target_id, "nina")
    login("mia")

    response = client.post(f"/staff/cases/{source_id}/merge",
                           data={"into": str(target_id), "confirm": "yes"},
                           headers={"Accept-Language": "en"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "nina holds one of these cases" in page and 'id="merge-confirm"' not in page
    assert _status(app, source_id) != "merged"


def test_an_admin_may_merge_a_held_case_after_a_warning(app, client, make_user, login,
                                                        clustered_case):
    target_id, source_id = clustered_case(FIRE, FIRE_AGAIN), clustered_case(RECALL)
    make_user("nina", "moderator", ("battery-safety",))
    make_user("ada", "admin", ())
    _claim(app, source_id, "nina")
    login("ada")

    first = client.post(f"/staff/cases/{source_id}/merge", data={"into": str(target_id)},
                        headers={"Accept-Language": "en"})
    assert first.status_code == 200 and 'id="merge-warning"' in first.get_data(as_text=True)
    assert "nina" in first.get_data(as_text=True)
    done = client.post(f"/staff/cases/{source_id}/merge",
                       data={"into": str(target_id), "confirm": "yes"})
    assert done.status_code == 303 and _status(app, source_id) == "merged"


def test_move_out_keeps_the_reports_waiting_time_and_sla(app, clustered_case):
    case_id = clustered_case(FIRE, FIRE_AGAIN)
    arrived = utcnow() - timedelta(hours=30)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.case_id == case_id)
                                    .order_by(Report.id.desc())).first()
        report.received_at = arrived  # it has waited 30 hours already
        db.session.commit()
        new = case_merge.move_report_out(report, "cli:test")
        db.session.commit()
        # The SLA due time and the waiting component both count from created_at.
        assert new.created_at == arrived
