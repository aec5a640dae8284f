"""Rate limits on public endpoints: 429 with Retry-After and a message saying when to retry.

Limits live in RATELIMIT_STORAGE_URI (Redis in CI); each test uses a client address of its
own, so counters start at zero even when runs share a Redis.
"""

import re

import pytest

EN = {"Accept-Language": "en"}


def _wait_seconds(text: str) -> int:
    match = re.search(r"Please wait (\d+) seconds and try again", text)
    assert match, text
    return int(match.group(1))


def _assert_limited(response, window: int = 60) -> None:
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= window
    # Header and message are computed a moment apart: a second boundary may fall between.
    assert abs(_wait_seconds(response.get_data(as_text=True)) - retry_after) <= 1


def test_form_posts_are_limited(rate_limited_app, client_from, form_data, stored):
    app = rate_limited_app(RATELIMIT_REPORT="2 per minute")
    client = client_from(app)

    sent = [client.post("/report", data=form_data(), headers=EN) for _ in range(3)]

    assert [r.status_code for r in sent[:2]] == [303, 303]
    _assert_limited(sent[2])
    assert sent[2].mimetype == "text/html"
    assert stored(app)["reports"] == 2
    assert client.get("/report").status_code == 200  # reading the form is not limited


@pytest.mark.parametrize("path", ["/status/{code}", "/status?code={code}",
                                  "/api/v1/reports/{code}"])
def test_status_lookups_are_limited(rate_limited_app, client_from, path):
    app = rate_limited_app(RATELIMIT_STATUS="2 per minute")
    client = client_from(app)
    url = path.format(code="RD-0000-0000")

    sent = [client.get(url, headers=EN) for _ in range(3)]

    assert all(r.status_code in (302, 404) for r in sent[:2])
    _assert_limited(sent[2])


def test_api_posts_are_limited_with_a_json_error(rate_limited_app, client_from, api_body, stored):
    app = rate_limited_app(RATELIMIT_API="2 per minute")
    client = client_from(app)

    sent = [client.post("/api/v1/reports", json=api_body(), headers=EN) for _ in range(3)]

    assert [r.status_code for r in sent[:2]] == [201, 201]
    _assert_limited(sent[2])
    assert set(sent[2].get_json()) == {"error", "fields"}
    assert stored(app)["reports"] == 2


def test_the_wait_matches_the_breached_window(rate_limited_app, client_from, api_body):
    app = rate_limited_app(RATELIMIT_API="100 per minute;1 per hour")
    client = client_from(app)
    client.post("/api/v1/reports", json=api_body())

    response = client.post("/api/v1/reports", json=api_body(), headers=EN)

    _assert_limited(response, window=3600)
    assert _wait_seconds(response.get_json()["error"]) > 3000


def test_each_client_address_has_its_own_budget(rate_limited_app, client_from, api_body):
    app = rate_limited_app(RATELIMIT_API="1 per minute")
    first, second = client_from(app), client_from(app)

    assert first.post("/api/v1/reports", json=api_body()).status_code == 201
    assert first.post("/api/v1/reports", json=api_body()).status_code == 429
    assert second.post("/api/v1/reports", json=api_body()).status_code == 201


def test_the_default_report_limit_applies(limited_app, client_from, form_data, stored):
    client = client_from(limited_app)

    statuses = [client.post("/report", data=form_data()).status_code for _ in range(6)]

    assert limited_app.config["RATELIMIT_REPORT"].startswith("5 per minute")
    assert statuses == [303] * 5 + [429]
    assert stored(limited_app)["reports"] == 5


def test_the_wait_is_said_in_the_users_language(rate_limited_app, client_from, api_body):
    app = rate_limited_app(RATELIMIT_API="1 per minute")
    client = client_from(app)
    client.post("/api/v1/reports", json=api_body())

    response = client.post("/api/v1/reports", json=api_body(),
                           headers={"Accept-Language": "zh-CN"})

    retry_after = response.headers["Retry-After"]
    assert response.status_code == 429
    assert f"{retry_after} 秒" in response.get_json()["error"]
