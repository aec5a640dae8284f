"""The transparency page for staff, and the public page behind TRANSPARENCY_PUBLIC."""

import pytest
from factories import PASSWORD

from intake.core.extensions import db
from intake.core.models import Report
from intake.users import accounts as users


def _sign_in(app, client, role="moderator"):
    with app.app_context():
        users.create_user("mona", PASSWORD, role, ["battery-safety"], actor="cli:test")
        db.session.commit()
    response = client.post("/staff/login", data={"username": "mona", "password": PASSWORD})
    assert response.status_code == 303


def _get(client, url, lang="en"):
    response = client.get(url, headers={"Accept-Language": lang})
    return response, response.get_data(as_text=True)


def test_staff_page_shows_the_tables_and_charts(world):
    client = world.test_client()
    _sign_in(world, client)
    response, page = _get(client, "/staff/transparency?from=2026-03&to=2026-03")
    assert response.status_code == 200
    for table in ("reports-by-channel", "reports-by-language", "decisions-by-outcome",
                  "time-to-decision", "automation", "appeals-and-debunks"):
        assert f'id="{table}"' in page
    assert page.count("<svg") == 2 and "<script" not in page
    assert "60.0" in page and "1416.0" in page and "50.0 %" in page
    assert 'id="empty"' not in page
    if not hasattr(Report, "partner_id"):
        assert "not available" in page


def test_staff_page_in_chinese(world):
    client = world.test_client()
    _sign_in(world, client)
    _response, page = _get(client, "/staff/transparency?from=2026-03&to=2026-03", "zh")
    assert "透明度数据" in page and "按渠道" in page and "合计" in page


def test_default_range_is_the_last_12_months(world):
    client = world.test_client()
    _sign_in(world, client, role="admin")
    _response, page = _get(client, "/staff/transparency")
    assert 'value="2025-05"' in page and 'value="2026-04"' in page
    assert page.count("<tr") >= 13


def test_empty_months_say_so(world):
    client = world.test_client()
    _sign_in(world, client)
    response, page = _get(client, "/staff/transparency?from=2025-01&to=2025-03")
    assert response.status_code == 200 and 'id="empty"' in page


@pytest.mark.parametrize("query", ["from=2026-05&to=2026-03", "from=2026-13&to=2026-14",
                                   "from=x&to=2026-03", "from=1999-01&to=2026-03"])
def test_bad_range_is_a_400_with_a_message(world, query):
    client = world.test_client()
    _sign_in(world, client)
    response, page = _get(client, f"/staff/transparency?{query}")
    assert response.status_code == 400 and 'id="range-error"' in page and "YYYY-MM" in page


def test_public_page_is_404_by_default(world):
    response, _page = _get(world.test_client(), "/transparency")
    assert response.status_code == 404


def test_public_page_shows_aggregates_only(app_factory, world):
    app = app_factory(CLOCK_NOW="2026-04-15T04:00:00", TRANSPARENCY_PUBLIC=True)
    with world.app_context():
        users.create_user("mona", PASSWORD, "moderator", ["battery-safety"], actor="cli:test")
        db.session.commit()
        codes = [r.tracking_code for r in Report.query.all()]
    response, page = _get(app.test_client(), "/transparency?from=2026-03&to=2026-03")
    assert response.status_code == 200
    assert 'id="reports-by-channel"' in page and "1416.0" in page
    assert "mona" not in page and "caught fire" not in page
    assert not any(code in page for code in codes)
    assert "/staff/transparency" not in page
