"""Queue queries: ranking across desks, filters, counts, keyset pages, least certain."""

from datetime import timedelta

import pytest
from sql_log import recorded

from intake.cases import queue as cases
from intake.core.extensions import db
from intake.core.models import utcnow

DESKS = ("battery-safety", "vehicle-data")


def _ids(filters: cases.QueueFilter, **kwargs) -> list[int]:
    return [row.case.id for row in cases.queue_page(filters, **kwargs).rows]


def test_ranked_across_own_desks_only(app, make_case):
    low = make_case(priority=20.0, band="P4")
    high = make_case(topic="vehicle-data", priority=80.0, band="P1")
    mid = make_case(priority=55.0)
    make_case(topic="industry-market", priority=99.0)
    make_case(priority=99.0, status="resolved")
    with app.app_context():
        assert _ids(cases.QueueFilter(desks=DESKS)) == [high, mid, low]


@pytest.fixture
def mixed(make_case, make_user, app, user_named):
    """One case per interesting filter value; returns {label: case id}."""
    make_user("mona", desks=DESKS)
    with app.app_context():
        mona = user_named("mona").id
    now = utcnow()
    return {
        "plain": make_case(),
        "p1": make_case(band="P1", priority=75.0),
        "hotline": make_case(channel="hotline"),
        "chinese": make_case(language="zh"),
        "overdue": make_case(sla_due_at=now - timedelta(hours=2)),
        "unscored": make_case(topic=None, priority=None, band=None, p_actionable=None),
        "mine": make_case(claimed_by_id=mona, claimed_until=now + timedelta(minutes=5)),
        "expired": make_case(claimed_by_id=mona, claimed_until=now - timedelta(minutes=5)),
        "resolved": make_case(status="resolved"),
        "review": make_case(status="under_review", p_actionable=0.9),
        "sure": make_case(p_actionable=0.99),
        "user": mona,
    }


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"band": "P1"}, ["p1"]),
    ({"channel": "hotline"}, ["hotline"]),
    ({"language": "zh"}, ["chinese"]),
    ({"overdue": True}, ["overdue"]),
    ({"unscored": True}, ["unscored"]),
    ({"mine": True}, ["mine"]),
    ({"status": "resolved"}, ["resolved"]),
    ({"status": "under_review"}, ["review"]),
    ({"band": "P1", "channel": "hotline"}, []),
])
def test_filters(app, mixed, overrides, expected):
    with app.app_context():
        filters = cases.QueueFilter(desks=DESKS, user_id=mixed["user"], **overrides)
        assert sorted(_ids(filters)) == sorted(mixed[name] for name in expected)


def test_active_queue_holds_open_and_under_review_not_unscored(app, mixed):
    with app.app_context():
        shown = set(_ids(cases.QueueFilter(desks=DESKS)))
    assert mixed["review"] in shown and mixed["plain"] in shown
    assert mixed["unscored"] not in shown and mixed["resolved"] not in shown


def test_uncertain_orders_by_distance_from_one_half(app, mixed):
    with app.app_context():
        ids = _ids(cases.QueueFilter(desks=DESKS, uncertain=True))
        assert ids[-2:] == [mixed["review"], mixed["sure"]]
        assert [c.id for c in cases.least_certain(1)] == [ids[0]]
        assert cases.least_certain(5, desks=["road-cloud"]) == []


def test_counts_per_filter(app, mixed, make_case):
    make_case(topic="vehicle-data", band="P3", channel="api")
    with app.app_context():
        filters = cases.QueueFilter(desks=DESKS, user_id=mixed["user"])
        counts = cases.queue_counts(filters)
        # Open and under review: 9 battery-safety cases (not unscored, not resolved) + 1.
        assert counts.total == 10 and not counts.capped
        assert counts.desks == {"battery-safety": 9, "vehicle-data": 1}
        assert (counts.bands["P1"], counts.bands["P3"]) == (1, 1)
        assert (counts.channels["hotline"], counts.channels["api"]) == (1, 1)
        assert counts.languages["zh"] == 1
        assert (counts.overdue, counts.unscored, counts.mine) == (1, 1, 1)
        one_desk = cases.queue_counts(cases.QueueFilter(desks=("vehicle-data",)), DESKS)
        assert one_desk.total == 1 and one_desk.desks["battery-safety"] == 9
        assert cases.queue_counts(filters, cap=3).capped


def test_keyset_pages_cover_everything_once(app, make_case):
    # Ties on priority must neither repeat nor skip a case across page boundaries.
    made = [make_case(priority=float(50 + i % 3), topic=DESKS[i % 2]) for i in range(11)]
    seen, after = [], None
    with app.app_context():
        filters = cases.QueueFilter(desks=DESKS)
        for _page in range(5):
            page = cases.queue_page(filters, after=after, limit=4)
            seen += [row.case for row in page.rows]
            after = page.next_cursor
            if after is None:
                break
    assert sorted(c.id for c in seen) == sorted(made)
    keys = [(c.priority, c.id) for c in seen]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("view", [{}, {"unscored": True}, {"uncertain": True}, {"mine": True}])
def test_keyset_pages_in_every_view(app, make_case, make_user, user_named, view):
    make_user("mona")
    with app.app_context():
        mona = user_named("mona").id
    until = utcnow() + timedelta(minutes=9)
    made = [make_case(p_actionable=0.1 * (i % 4), claimed_by_id=mona, claimed_until=until,
                      **({"topic": None, "priority": None} if view.get("unscored") else {}))
            for i in range(7)]
    seen, after = [], None
    with app.app_context():
        filters = cases.QueueFilter(desks=("battery-safety",), user_id=mona, **view)
        for _page in range(4):
            page = cases.queue_page(filters, after=after, limit=3)
            seen += [row.case.id for row in page.rows]
            if (after := page.next_cursor) is None:
                break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


@pytest.mark.parametrize("cursor", ["x", "1", "1_2_3", "nan_1", "inf_2", "1e400_3"])
def test_bad_cursor(app, cursor):
    with app.app_context(), pytest.raises(cases.CursorError):
        cases.queue_page(cases.QueueFilter(desks=DESKS), after=cursor)


def test_rows_carry_live_claim_holder_only(app, mixed):
    with app.app_context():
        rows = {r.case.id: r.holder for r in cases.queue_page(
            cases.QueueFilter(desks=DESKS)).rows}
    assert rows[mixed["mine"]] == "mona" and rows[mixed["expired"]] is None


@pytest.fixture
def statements(app):
    """The SQL text of every statement run while the test reads it."""
    with app.app_context(), recorded(db.engine) as seen:
        yield seen


@pytest.mark.parametrize(("appealed_desks", "ranges"), [
    ((), 4),  # open and under review of both desks; no appealed range read
    (("vehicle-data",), 5),  # and the appealed range of the desk with an appeal only
    (DESKS, 6),
])
def test_appealed_ranges_are_read_only_for_desks_with_an_appeal(app, make_case, statements,
                                                                appealed_desks, ranges):
    plain = make_case(priority=20.0)
    appealed = [make_case(topic=desk, status="appealed", priority=10.0)
                for desk in appealed_desks]
    filters = cases.QueueFilter(desks=DESKS)
    assert _ids(filters) == [plain, *reversed(appealed)]  # equal priority: newest first
    [ranked] = [s for s in statements if "UNION ALL" in s]
    assert ranked.count("UNION ALL") == ranges - 1
    # A desk filter or the appealed filter alone asks nothing first: nothing to save there.
    statements.clear()
    _ids(cases.QueueFilter(desks=DESKS[:1]))
    _ids(cases.QueueFilter(desks=DESKS, status="appealed"))
    assert not [s for s in statements if "DISTINCT" in s]
