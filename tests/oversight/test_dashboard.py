"""The desk dashboard: figures per desk from aggregates, the 14-day chart, scope and errors."""

from datetime import timedelta

import pytest
from sql_log import recorded

from intake.core.extensions import db
from intake.core.models import utcnow
from intake.oversight import desk_stats
from intake.users import accounts as users


@pytest.fixture
def battery_desk(make_case, make_decision):
    """Two open battery cases (one overdue), two decided today, one open elsewhere."""
    now = utcnow()
    make_case(sla_due_at=now + timedelta(hours=3))
    make_case(sla_due_at=now - timedelta(hours=1))
    for age in (3, 5):  # decided a minute ago: 3 h and 5 h after creation, median 4 h
        make_decision(make_case(age_hours=age), at=now - timedelta(minutes=1))
    make_case(topic="vehicle-data")
    make_case(topic=None)  # not yet scored, so not routed to any desk


def _figures(app, scope):
    with app.app_context():
        now = utcnow()
        rows = desk_stats.desk_figures(scope, now)
        return {row.desk: row for row in rows}, desk_stats.total_figures(rows, scope, now)


def test_figures_of_a_moderators_desk(app, battery_desk):
    rows, total = _figures(app, ["battery-safety"])
    assert set(rows) == {"battery-safety"}
    row = rows["battery-safety"]
    assert (row.open, row.overdue, row.decided_today) == (2, 1, 2)
    assert row.median.total_seconds() / 3600 == pytest.approx(4, abs=0.05)
    assert (total.open, total.overdue, total.decided_today) == (2, 1, 2)
    assert total.median == row.median


def test_admin_scope_covers_every_desk_and_unrouted_cases(app, battery_desk):
    rows, total = _figures(app, None)
    assert rows[None].open == 1 and rows["vehicle-data"].open == 1
    assert rows["road-cloud"].open == 0  # every desk is listed, even an idle one
    assert (total.open, total.decided_today) == (4, 2)


def test_median_of_an_odd_count_is_the_middle_value(app, make_case, make_decision):
    now = utcnow()
    for age in (1, 2, 30):
        make_decision(make_case(age_hours=age), at=now - timedelta(minutes=1))
    rows, _total = _figures(app, ["battery-safety"])
    assert rows["battery-safety"].median.total_seconds() / 3600 == pytest.approx(2, abs=0.05)


def test_last_days_counts_new_cases_and_decisions_per_day(app, make_case, make_decision):
    now = utcnow()
    old = make_case(age_hours=24 * 3)
    make_decision(old, at=now - timedelta(minutes=1))
    make_case(age_hours=24 * 20)  # before the window
    with app.app_context():
        days = desk_stats.last_days(["battery-safety"], now)
        other = desk_stats.last_days(["vehicle-data"], now)
    assert len(days) == 14 and days[0].day < days[-1].day == now.date()
    by_day = {d.day: d for d in days}
    assert by_day[(now - timedelta(days=3)).date()].received == 1
    assert by_day[now.date()].decided == 1
    assert sum(d.received + d.decided for d in other) == 0


def test_moderator_page_shows_own_desks_only(client, make_user, login, battery_desk):
    make_user("mona")
    login("mona")
    response = client.get("/staff/dashboard", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Battery" in page and "Vehicle data" not in page and "Not yet routed" not in page
    assert 'id="empty"' not in page
    assert "<svg" in page and "<script" not in page
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert page.count("<tr><th scope=\"row\">") == 14  # the chart's table alternative


def test_admin_page_shows_every_desk_in_chinese(client, make_user, login, battery_desk):
    make_user("root", role="admin", desks=())
    login("root")
    page = client.get("/staff/dashboard", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "车辆数据与网络安全" in page and "尚未分配" in page and "仪表板" in page


def test_empty_state(client, make_user, login):
    make_user("root", role="admin", desks=())
    login("root")
    response = client.get("/staff/dashboard", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert 'id="empty"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("desk", "status", "message"), [
    ("vehicle-data", 403, None),
    ("no-such-desk", 400, "There is no desk no-such-desk"),
    ("<script>", 400, "&lt;script&gt;"),
])
def test_moderator_cannot_pick_another_or_unknown_desk(client, make_user, login, desk, status,
                                                       message):
    make_user("mona")
    login("mona")
    response = client.get("/staff/dashboard", query_string={"desk": desk},
                          headers={"Accept-Language": "en"})
    assert response.status_code == status
    if message:
        assert message in response.get_data(as_text=True)


def test_desk_chart_for_one_desk(client, make_user, login, battery_desk):
    make_user("mona", desks=("battery-safety", "vehicle-data"))
    login("mona")
    response = client.get("/staff/dashboard?desk=vehicle-data", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h2>Vehicle data" in page


def _statements(app, client) -> list[str]:
    with app.app_context(), recorded(db.engine) as seen:
        assert client.get("/staff/dashboard").status_code == 200
    return seen


def test_queries_do_not_grow_with_the_cases(app, client, make_user, login, make_case,
                                            make_decision):
    make_user("root", role="admin", desks=())
    login("root")
    make_decision(make_case(age_hours=5), at=utcnow())
    few = _statements(app, client)
    for topic in ("battery-safety", "vehicle-data", "road-cloud", None) * 5:
        make_decision(make_case(topic=topic or "off-topic", age_hours=5), at=utcnow())
        make_case(topic=topic)
    many = _statements(app, client)
    assert len(many) == len(few) <= 12
    assert not any("FROM cases" in s and "count" not in s.lower() and "date" not in s.lower()
                   and "row_number" not in s for s in many)


@pytest.mark.parametrize(("language", "warning", "desk_name"), [
    ("en", "No active moderator works these desks", "Vehicle data"),
    ("zh", "以下处理组没有在职的审核员", "车辆数据与网络安全"),
])
def test_admin_is_warned_of_desks_without_a_moderator(client, make_user, login, language,
                                                      warning, desk_name):
    make_user("root", role="admin", desks=())
    make_user("mona", desks=("battery-safety",))
    make_user("gone", desks=("vehicle-data",))
    with client.application.app_context():
        users.deactivate(users.find_user("gone"), actor="cli:test")
        db.session.commit()
    login("root")
    page = client.get("/staff/dashboard", headers={"Accept-Language": language})
    warning_box = page.get_data(as_text=True).split('id="unstaffed"')[1].split("</div>")[0]
    assert warning in warning_box and desk_name in warning_box  # its only moderator left
    battery = "Battery" if language == "en" else "电池与充电安全"
    assert battery not in warning_box  # mona works it


def test_moderators_are_not_shown_the_staffing_warning(client, make_user, login):
    make_user("mona")
    login("mona")
    page = client.get("/staff/dashboard").get_data(as_text=True)
    assert 'id="unstaffed"' not in page
