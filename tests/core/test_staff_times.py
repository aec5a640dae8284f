"""Staff pages show times in the newsroom's zone, named, at 02:45 Beijing time."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hotline.hotline_data import call_form

from intake.core.extensions import db
from intake.core.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT_0245 = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(2, 45),
                           tzinfo=SHANGHAI)
NOW_UTC = AT_0245.astimezone(UTC).replace(tzinfo=None)  # 18:45 the day before
ZONE = "Asia/Shanghai (UTC+08:00)"


@pytest.fixture
def app(app_factory):
    return app_factory(CLOCK_NOW=AT_0245.isoformat())


def _local(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_case_page_shows_due_claim_and_received_in_beijing_time(app, client, make_user, login,
                                                                 make_case, lang):
    make_user("mona")
    login("mona")
    due = NOW_UTC + timedelta(hours=4)
    case_id = make_case(age_hours=0, sla_due_at=due)
    client.get(f"/lang/{lang}")
    assert client.post(f"/staff/cases/{case_id}/claim").status_code in (302, 303)

    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)

    assert re.search(r'<dd id="due">([^<]+)</dd>', page).group(1) == f"{_local(due)} {ZONE}"
    until = NOW_UTC + timedelta(minutes=app.config["CLAIM_MINUTES"])
    claimed = re.search(r'<dd id="claimed-by">([^<]+)</dd>', page).group(1)
    assert f"{_local(until)} {ZONE}" in claimed
    assert "UTC)" not in page.replace("(UTC+08:00)", "")  # nothing left in bare UTC
    with app.app_context():  # stored in UTC all the same
        case = db.session.get_one(Case, case_id)
        assert case.claimed_until == until
        received = case.reports[0].received_at
    assert f"{_local(received)} {ZONE}</h3>" in page  # the report's received time


def test_call_screen_and_lookup_agree_on_the_zone(app, client, make_user, login):
    make_user("olga", role="operator", desks=())
    login("olga")
    screen = client.get("/staff/hotline").get_data(as_text=True)
    assert f'value="{_local(NOW_UTC)}"' in screen  # the call starts now, in Beijing time
    assert "Asia/Shanghai" in screen

    started = _local(NOW_UTC - timedelta(minutes=5))
    assert client.post("/staff/hotline", data=call_form(started_at=started)).status_code == 303
    page = client.post("/staff/hotline/lookup",
                       data={"caller_number": "13800138000"}).get_data(as_text=True)
    assert re.search(rf"<th>[^<]*{re.escape(ZONE)}[^<]*</th>", page)
    assert f"<td>{_local(NOW_UTC)}</td>" in page  # received now, shown in Beijing time


def test_claim_and_due_times_are_stored_in_utc_and_the_audit_page_names_the_zone(
        app, client, make_user, login, make_case):
    make_user("ada", role="admin", desks=())
    login("ada")
    case_id = make_case(age_hours=0)
    client.post(f"/staff/cases/{case_id}/claim")
    page = client.get("/staff/audit").get_data(as_text=True)
    assert re.search(rf"<th[^>]*>[^<]*{re.escape(ZONE)}[^<]*</th>", page)
    assert _local(NOW_UTC) in page
