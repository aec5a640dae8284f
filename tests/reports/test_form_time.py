"""Dates are checked and shown in the newsroom's zone (Asia/Shanghai); storage stays UTC."""

import html
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from intake import create_app
from intake.core.extensions import db
from intake.core.models import Report

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 02:45 in Beijing on the day after today's UTC date: still "yesterday" in UTC (18:45).
BEIJING_TODAY = datetime.now(UTC).date() + timedelta(days=1)
AT_0245 = datetime.combine(BEIJING_TODAY, time(2, 45), tzinfo=SHANGHAI)
EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def app(app_factory):
    """The app with its clock pinned at 02:45 Beijing time."""
    return app_factory(CLOCK_NOW=AT_0245.isoformat())


def _error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {field}"
    return html.unescape(match.group(1)).strip()


@pytest.mark.parametrize("headers", [EN, ZH])
def test_today_in_beijing_is_accepted_at_0245_with_its_evidence(app, client, form_data,
                                                                 upload, headers):
    response = client.post("/report", headers=headers, data=form_data(
        seen_at=BEIJING_TODAY.isoformat(), evidence=[upload("png", name="截图.png")]))

    assert response.status_code == 303, _error(response.get_data(as_text=True), "seen_at")
    code = response.location.rsplit("/", 1)[1]
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        assert [a.original_name for a in report.attachments] == ["截图.png"]
        # Stored in UTC: 02:45 Beijing is 18:45 the day before.
        assert report.received_at == AT_0245.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize(("headers", "words"), [
    (EN, ["The date cannot be in the future", "Asia/Shanghai", "截图.png", "choose"]),
    (ZH, ["日期不能晚于今天", "Asia/Shanghai", "截图.png", "重新选择"]),
])
def test_tomorrow_in_beijing_is_refused_naming_the_zone_and_the_files(
        app, client, form_data, upload, headers, words):
    tomorrow = BEIJING_TODAY + timedelta(days=1)
    response = client.post("/report", headers=headers, data=form_data(
        seen_at=tomorrow.isoformat(), evidence=[upload("png", name="截图.png")]))

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    message = _error(page, "seen_at") + " " + _error(page, "evidence")
    for word in words:
        assert word in message
    assert BEIJING_TODAY.isoformat() in message  # says which day "today" is
    assert 'href="#evidence"' in page  # the summary at the top names the files too


def test_a_refused_form_without_files_asks_for_none(app, client, form_data):
    response = client.post("/report", headers=EN, data=form_data(claim="", evidence=[]))
    assert response.status_code == 400
    assert 'id="evidence-error"' not in response.get_data(as_text=True)


@pytest.mark.parametrize(("headers", "label"), [(EN, "Date received"), (ZH, "受理日期")])
def test_status_page_shows_the_beijing_date(app, client, make_report, headers, label):
    code = make_report()  # received at 18:45 UTC, 02:45 the next day in Beijing
    page = client.get(f"/status/{code}", headers=headers).get_data(as_text=True)
    shown = re.search(rf"<dt>{label}</dt><dd>([0-9-]+)</dd>", page)
    assert shown and shown.group(1) == BEIJING_TODAY.isoformat()


def test_api_status_stays_in_utc(app, client, make_report):
    code = make_report()
    body = client.get(f"/api/v1/reports/{code}").get_json()
    assert body["received_at"].startswith(
        AT_0245.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"TIMEZONE": "Beijing/Time"}, "TIMEZONE='Beijing/Time' is not an IANA time zone"),
    ({"APP_ENV": "production", "SECRET_KEY": "x" * 40, "CLOCK_NOW": "2026-01-01T00:00"},
     "CLOCK_NOW pins the clock"),
])
def test_bad_clock_settings_stop_start_up(tmp_path, overrides, message):
    with pytest.raises(RuntimeError, match=re.escape(message)):
        create_app({"SCHEMA_CHECK": False, **overrides}, instance_path=str(tmp_path))
