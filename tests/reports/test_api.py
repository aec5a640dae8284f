"""The public JSON API: a valid report is stored and answered with its tracking code."""

from datetime import datetime

import pytest

CODE = r"RD-[0-9A-Z]{4}-[0-9A-Z]{4}"


@pytest.mark.parametrize(("overrides", "language", "url_key"), [
    ({"claim": "网传某车企自动驾驶出租车在武汉无人接管、撞人后逃逸，官方隐瞒真相。",
      "explanation": "交警通报显示事故车辆为普通私家车。",
      "url": "https://www.toutiao.com/article/7300000000000000000/?share_token=abc&wid=1"},
     "zh", "toutiao.com/article/7300000000000000000?wid=1"),
    ({}, "en", "example.com/post/42"),
])
def test_valid_report_is_stored(app, client, api_body, stored, get_report,
                                overrides, language, url_key):
    body = api_body(**overrides)

    response = client.post("/api/v1/reports", json=body)

    assert response.status_code == 201
    data = response.get_json()
    assert set(data) == {"tracking_code", "status", "status_url"}
    assert data["status"] == "received"
    code = data["tracking_code"]
    assert data["status_url"] == f"http://localhost/status/{code}"
    assert response.headers["Location"] == f"/api/v1/reports/{code}"
    assert "Idempotent-Replayed" not in response.headers
    report = get_report(app, code)
    assert report.channel == "api"
    assert report.language == language
    assert report.claim == body["claim"]
    assert report.explanation == body["explanation"]
    assert report.platform == "weibo"
    assert report.seen_at == datetime(2024, 3, 1, 8, 30)
    assert report.good_faith is True
    assert [(u.url, u.url_key) for u in report.urls] == [(body["url"], url_key)]
    assert (report.case.status, report.case.report_count) == ("open", 1)
    assert stored(app) == {"reports": 1, "cases": 1, "urls": 1, "attachments": 0,
                           "idempotency_keys": 0, "files": 0}


def test_only_a_claim_is_required(app, client, get_report):
    response = client.post("/api/v1/reports", json={"claim": "  Battery fire rumour  "})

    assert response.status_code == 201
    report = get_report(app, response.get_json()["tracking_code"])
    assert (report.claim, report.explanation, report.urls, report.platform, report.seen_at) == (
        "Battery fire rumour", None, [], None, None)


@pytest.mark.parametrize(("language", "claim"), [
    ("zh", "A rumour written in English but reported for the Chinese desk."),
    ("en", "网传某品牌电动车电池起火。"),
])
def test_explicit_language_wins_over_detection(app, client, get_report, language, claim):
    response = client.post("/api/v1/reports", json={"claim": claim, "language": language})

    assert get_report(app, response.get_json()["tracking_code"]).language == language


@pytest.mark.parametrize(("seen_at", "stored_as"), [
    ("2024-03-01", datetime(2024, 3, 1)),
    ("2024-03-01T16:30:00+08:00", datetime(2024, 3, 1, 8, 30)),
    ("2024-03-01T08:30:00", datetime(2024, 3, 1, 8, 30)),
])
def test_seen_at_is_stored_in_utc(app, client, api_body, get_report, seen_at, stored_as):
    response = client.post("/api/v1/reports", json=api_body(seen_at=seen_at))

    assert get_report(app, response.get_json()["tracking_code"]).seen_at == stored_as


@pytest.mark.parametrize(("contact", "kept"), [
    ({"email": "partner-user@example.com", "phone": "+86 10 1234 5678", "consent": True},
     ("partner-user@example.com", "+86 10 1234 5678", True)),
    ({"phone": "010-12345678", "consent": True}, (None, "010-12345678", True)),
    ({"email": "partner-user@example.com", "phone": "+86 10 1234 5678", "consent": False},
     (None, None, False)),
    ({"email": "partner-user@example.com"}, (None, None, False)),
])
def test_contact_details_are_kept_only_with_consent(app, client, api_body, get_report,
                                                    contact, kept):
    response = client.post("/api/v1/reports", json=api_body(contact=contact))

    report = get_report(app, response.get_json()["tracking_code"])
    assert (report.contact_email, report.contact_phone, report.contact_consent) == kept


def test_invisible_characters_that_databases_refuse_are_dropped(app, client, get_report):
    response = client.post("/api/v1/reports", json={
        "claim": "Battery\x00 fire\ud800 rumour", "contact": {"email": "a\x00b@example.com",
                                                          "consent": True}})

    assert response.status_code == 201
    report = get_report(app, response.get_json()["tracking_code"])
    assert (report.claim, report.contact_email) == ("Battery fire rumour", "ab@example.com")


def test_the_new_report_can_be_looked_up(client, api_body):
    created = client.post("/api/v1/reports", json=api_body()).get_json()

    response = client.get(f"/api/v1/reports/{created['tracking_code']}")

    assert response.status_code == 200
    assert response.get_json()["tracking_code"] == created["tracking_code"]
    assert response.get_json()["status"] == "received"


def test_api_does_not_need_a_csrf_token(app_factory, api_body, stored):
    app = app_factory(WTF_CSRF_ENABLED=True)

    response = app.test_client().post("/api/v1/reports", json=api_body())

    assert response.status_code == 201
    assert stored(app)["reports"] == 1
