"""Health check and error pages: friendly, in the user's language, never a traceback."""

import os

import pytest

from intake.core.extensions import db
from intake.core.models import Case

EN = {"Accept-Language": "en"}
SORRY = "Something went wrong on our side. Please try again in a few minutes."
NOT_SAVED = ("Something went wrong on our side and what you sent was not saved. Please send it "
             "again in a few minutes (choose any files again).")
SAVED = "Something went wrong on our side after what you sent was saved, so do not send it again."


@pytest.fixture
def broken_app(app_factory):
    """An app with test-only routes that fail, registered before the first request."""
    app = app_factory()

    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/test-only/boom")
    def api_boom():
        raise KeyError("secret internal detail")

    @app.post("/test-only/boom-after-commit")
    def boom_after_commit():
        db.session.add(Case(status="open", report_count=0, reporter_count=0, title="x",
                            channel="web", language="en"))
        db.session.commit()
        raise RuntimeError("after the commit")

    return app


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "rate_limits": "off",
                                   "evidence": "ok", "mail": {"state": "not configured"},
                                   "model": None, "pid": os.getpid()}


def test_healthz_says_when_the_database_is_down(app, app_factory, tmp_path):
    # `app` comes first: the fixture cleans up through the first app it built. The schema
    # check is off because this database goes away after start-up, not before.
    app = app_factory(DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
                      SCHEMA_CHECK=False)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "OperationalError"}


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no/such/page", headers=EN)

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<p class="error-message" role="alert">This page does not exist.</p>' in page
    assert 'href="/report"' in page


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here", headers=EN)

    assert response.status_code == 404
    assert response.get_json() == {"error": "This page does not exist.", "fields": {}}


def test_a_client_asking_for_json_gets_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json", **EN})

    assert response.get_json() == {"error": "This page does not exist.", "fields": {}}


def test_wrong_method_is_405(client):
    response = client.delete("/report", headers=EN)

    assert response.status_code == 405
    assert "This method is not allowed here." in response.get_data(as_text=True)


def test_a_crash_shows_the_friendly_page_not_a_traceback(broken_app, caplog):
    response = broken_app.test_client().get("/test-only/boom", headers=EN)

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert SORRY in page
    assert "secret internal detail" not in page and "Traceback" not in page
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "secret internal detail" in caplog.text  # the log keeps it for us


def test_a_crash_in_the_api_is_a_json_500(broken_app):
    response = broken_app.test_client().get("/api/v1/test-only/boom", headers=EN)

    assert response.status_code == 500
    assert response.get_json() == {"error": SORRY, "fields": {}}


def test_a_crash_is_explained_in_chinese_too(broken_app):
    response = broken_app.test_client().get("/test-only/boom",
                                            headers={"Accept-Language": "zh-CN"})

    assert "系统出现故障，请过几分钟再试。" in response.get_data(as_text=True)


def test_error_pages_do_not_change_the_database(broken_app, stored, nothing_stored):
    client = broken_app.test_client()
    for path in ("/test-only/boom", "/no/such/page", "/api/v1/test-only/boom"):
        client.get(path)

    assert stored(broken_app) == nothing_stored


def test_a_report_the_database_refused_is_not_called_saved(app, app_factory, tmp_path,
                                                           form_data, stored, nothing_stored):
    # The database is gone after start-up: the report cannot be stored, and the page says so.
    down = app_factory(DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/db.sqlite3",
                       SCHEMA_CHECK=False)

    for language, text in (("en", NOT_SAVED), ("zh", "您提交的内容没有保存")):
        response = down.test_client().post("/report", data=form_data(),
                                           headers={"Accept-Language": language})
        assert response.status_code == 500
        assert text in response.get_data(as_text=True)
        assert "lost" not in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_a_crash_after_the_commit_says_it_was_saved(broken_app):
    response = broken_app.test_client().post("/test-only/boom-after-commit", headers=EN)

    assert response.status_code == 500
    assert SAVED in response.get_data(as_text=True)
    with broken_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 1
