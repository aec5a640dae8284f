"""Headers from the audit: Secure cookie and HSTS in production, no-store, Allow, log paths."""

import pytest

EN = {"Accept-Language": "en"}


@pytest.fixture
def production_app(standalone_app, tmp_path, database_url):
    return standalone_app(tmp_path, APP_ENV="production", SECRET_KEY="x" * 64,
                          DATABASE_URL=database_url, SCHEMA_CHECK=False, RATELIMIT_ENABLED=False)


def _set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_production_cookies_are_secure_and_hsts_is_sent(production_app):
    client = production_app.test_client()

    form = client.get("/report", headers=EN)  # the CSRF token puts a session cookie
    language = client.get("/lang/zh?next=/report")

    [session] = [c for c in _set_cookies(form) if c.startswith("session=")]
    assert "; Secure" in session and "; HttpOnly" in session and "SameSite=Lax" in session
    [lang] = _set_cookies(language)
    assert "; Secure" in lang
    assert form.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_over_plain_http_has_neither(client):
    form = client.get("/report", headers=EN)

    assert not any("Secure" in c for c in _set_cookies(form))
    assert "Strict-Transport-Security" not in form.headers


@pytest.mark.parametrize("path", ["/report", "/status?code=RD-7K3M-9QX1", "/staff/login"])
def test_pages_with_personal_data_or_codes_are_not_stored(client, path):
    assert client.get(path, headers=EN).headers["Cache-Control"] == "private, no-store"


def test_a_405_says_which_methods_are_allowed(client):
    response = client.delete("/report", headers=EN)

    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert "This method is not allowed here." in response.get_data(as_text=True)


def test_tracking_codes_are_not_written_to_the_request_log(client, make_report, caplog):
    code = make_report()
    caplog.set_level("INFO", logger="intake.requests")

    for path in (f"/status/{code}", f"/report/receipt/{code}", f"/api/v1/reports/{code}",
                 f"/status/{code.lower()}"):
        assert client.get(path).status_code in (200, 302, 308)

    assert code not in caplog.text and code.lower() not in caplog.text
    assert "GET /status/<code> 200" in caplog.text
    assert "GET /api/v1/reports/<code> 200" in caplog.text


@pytest.mark.parametrize("storage, warned", [("memory://", True),
                                             ("redis://127.0.0.1:6379/3", False)])
def test_production_warns_at_start_when_limits_are_per_process(standalone_app, tmp_path,
                                                               database_url, caplog, storage,
                                                               warned):
    caplog.set_level("WARNING", logger="intake")

    standalone_app(tmp_path, APP_ENV="production", SECRET_KEY="x" * 64, SCHEMA_CHECK=False,
                   DATABASE_URL=database_url, RATELIMIT_STORAGE_URI=storage)

    assert ("every worker counts rate limits on its own" in caplog.text) is warned
