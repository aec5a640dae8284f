"""The queue page and the claim routes over HTTP: permissions, rows, filters, pages, states."""

import re
from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow


def _text(response) -> str:
    return response.get_data(as_text=True)


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', html)]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/staff/queue"),
    ("post", "/staff/queue/claim-next"),
    ("post", "/staff/cases/1/claim"),
    ("post", "/staff/cases/1/release"),
])
def test_anonymous_goes_to_login_operator_gets_403(client, make_user, login, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 303 and "/staff/login" in response.headers["Location"]
    make_user("olga", role="operator", desks=())
    login("olga")
    assert getattr(client, method)(path).status_code == 403


def test_moderator_of_another_desk(app, client, make_user, login, make_case):
    make_user("vera", desks=("vehicle-data",))
    other = make_case(topic="battery-safety")
    login("vera")
    assert other not in _row_ids(_text(client.get("/staff/queue")))
    assert client.get("/staff/queue?desk=battery-safety").status_code == 403
    assert client.post(f"/staff/cases/{other}/claim").status_code == 403
    assert client.post(f"/staff/cases/{other}/release").status_code == 403
    with app.app_context():
        assert db.session.get(Case, other).claimed_by_id is None


def test_admin_sees_every_desk(client, make_user, login, make_case):
    make_user("ada", role="admin", desks=())
    ids = {make_case(topic=topic) for topic in ("battery-safety", "road-cloud", "off-topic")}
    login("ada")
    assert set(_row_ids(_text(client.get("/staff/queue")))) == ids


def test_row_shows_claim_topic_band_reports_sla_and_overdue(client, make_user, login,
                                                            make_case, app):
    make_user("mona")
    make_user("max")
    with app.app_context():
        from intake.users.models import User
        max_id = db.session.scalars(db.select(User.id).where(User.username == "max")).one()
    now = utcnow()
    late = make_case(priority=72.4, band="P1", report_count=17, channel="hotline",
                     sla_due_at=now - timedelta(hours=3), claimed_by_id=max_id,
                     claimed_until=now + timedelta(minutes=10))
    login("mona")
    html = _text(client.get("/staff/queue", headers={"Accept-Language": "zh"}))
    row = html[html.index(f'id="case-{late}"'):].split("</tr>")[0]
    assert 'class="overdue"' in row and "逾期" in row
    assert "电池与充电安全" in row and "P1" in row and "72" in row
    assert ">17<" in row and "max" in row and "热线" in row
    assert f'href="/staff/cases/{late}"' in row
    english = _text(client.get("/staff/queue", headers={"Accept-Language": "en"}))
    assert "Battery" in english and "Overdue by" in english


def test_filters_over_http_and_counts_in_options(client, make_user, login, make_case):
    make_user("mona")
    p1 = make_case(band="P1", priority=80.0)
    make_case(band="P3", priority=35.0)
    login("mona")
    html = _text(client.get("/staff/queue?band=P1"))
    assert _row_ids(html) == [p1]
    assert re.search(r'value="P1" selected>P1 · 最紧急 \(1\)', html)


@pytest.mark.parametrize("query", ["band=P9", "desk=nowhere", "status=lost", "channel=fax",
                                   "language=fr", "after=garbage"])
def test_bad_filters_are_400_with_a_message(client, make_user, login, query):
    make_user("mona")
    login("mona")
    response = client.get(f"/staff/queue?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "choose" in _text(response) or "first page" in _text(response)


def test_next_page_link_walks_the_queue(app_factory, make_user, make_case):
    app = app_factory(QUEUE_PAGE_SIZE=2)
    client = app.test_client()
    made = [make_case(priority=60.0 - i) for i in range(5)]
    make_user("mona")
    client.post("/staff/login", data={"username": "mona", "password": "correct horse battery"})
    seen, url = [], "/staff/queue?channel=web"
    while url:
        html = _text(client.get(url))
        seen += _row_ids(html)
        found = re.search(r'rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        assert url is None or "channel=web" in url
    assert seen == made


@pytest.mark.parametrize(("query", "message"), [
    ("", "The queue is empty."),
    ("?band=P1", "No cases match these filters."),
])
def test_empty_states(client, make_user, login, query, message):
    make_user("mona")
    login("mona")
    html = _text(client.get(f"/staff/queue{query}", headers={"Accept-Language": "en"}))
    assert message in html and "<table" not in html


def test_claim_then_release_over_http(app, client, make_user, login, make_case):
    make_user("mona")
    case_id = make_case()
    login("mona")
    response = client.post(f"/staff/cases/{case_id}/claim",
                           data={"next": "/staff/queue?band=P2"})
    assert response.status_code == 303
    expected = "/staff/queue?band=P2"
    if "casework.case" in app.view_functions:
        expected = f"/staff/cases/{case_id}"
    assert response.headers["Location"].endswith(expected)
    html = _text(client.get("/staff/queue", headers={"Accept-Language": "en"}))
    assert f"/staff/cases/{case_id}/release" in html
    response = client.post(f"/staff/cases/{case_id}/release", follow_redirects=True,
                           headers={"Accept-Language": "en"})
    assert "back in the queue" in _text(response)
    with app.app_context():
        assert db.session.get(Case, case_id).claimed_by_id is None


def test_taken_case_and_foreign_release_explain_why(app, client, make_user, login, make_case):
    make_user("mona"), make_user("max")
    case_id = make_case()
    login("max")
    client.post(f"/staff/cases/{case_id}/claim")
    client.post("/staff/logout")
    login("mona")
    taken = client.post(f"/staff/cases/{case_id}/claim", follow_redirects=True,
                        headers={"Accept-Language": "en"})
    assert "max claimed case" in _text(taken)
    refused = client.post(f"/staff/cases/{case_id}/release", follow_redirects=True,
                          headers={"Accept-Language": "en"})
    assert "You do not hold case" in _text(refused)
    assert client.post("/staff/cases/999999/claim").status_code == 404


def test_claim_next_over_http(app, client, make_user, login, make_case):
    make_user("mona")
    top = make_case(priority=90.0)
    make_case(priority=10.0)
    login("mona")
    assert client.post("/staff/queue/claim-next").status_code == 303
    with app.app_context():
        assert db.session.get(Case, top).claimed_by_id is not None
    client.post("/staff/queue/claim-next")
    empty = client.post("/staff/queue/claim-next", follow_redirects=True,
                        headers={"Accept-Language": "en"})
    assert "Nothing left to claim" in _text(empty)


def test_nav_links_to_queue_for_moderators_only(client, make_user, login):
    make_user("olga", role="operator", desks=())
    login("olga")
    assert 'href="/staff/queue"' not in _text(client.get("/staff/", follow_redirects=True))
    client.post("/staff/logout")
    make_user("mona")
    login("mona")
    assert 'href="/staff/queue"' in _text(client.get("/staff/dashboard"))


def test_past_the_count_cap_only_the_total_is_shown(app_factory, make_user, make_case):
    app = app_factory(QUEUE_COUNT_CAP=2)
    client = app.test_client()
    for band in ("P1", "P2", "P3", "P4"):
        make_case(band=band)
    make_user("mona")
    client.post("/staff/login", data={"username": "mona", "password": "correct horse battery"})
    html = _text(client.get("/staff/queue", headers={"Accept-Language": "en"}))
    assert "All my desks (2+)" in html
    assert re.search(r'value="P1" >P1 · most urgent </option>', html)
    assert len(_row_ids(html)) == 4  # the rows themselves are never capped


def test_an_appealed_case_shows_among_the_others(client, make_user, login, make_case):
    ids = [make_case(priority=p) for p in (30.0, 40.0, 50.0)]
    appealed = make_case(topic="vehicle-data", status="appealed", priority=5.0)
    make_user("mona", desks=("battery-safety", "vehicle-data"))
    login("mona")
    html = _text(client.get("/staff/queue", headers={"Accept-Language": "en"}))
    assert _row_ids(html) == [*reversed(ids), appealed]
    assert 'class="appeal-tag">Appeal' in html


def test_row_links_are_the_ones_url_for_builds(app, client, make_user, login, make_case):
    make_user("mona")
    case_id = make_case()
    login("mona")
    html = _text(client.get("/staff/queue", headers={"Accept-Language": "en"}))
    assert f'<a href="/staff/cases/{case_id}">#{case_id}</a>' in html
    assert f'formaction="/staff/cases/{case_id}/claim?stay=1"' in html
    assert f'aria-label="Select case {case_id}"' in html
