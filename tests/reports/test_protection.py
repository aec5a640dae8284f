"""Abuse protection on the form: CSRF, the honeypot and the request size limit."""

import re

import pytest

EN = {"Accept-Language": "en"}


@pytest.fixture
def csrf_app(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True)


def _token(client) -> str:
    page = client.get("/report").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("token", [None, "", "forged.token.value"])
def test_a_missing_or_forged_csrf_token_is_refused(csrf_app, form_data, stored, nothing_stored,
                                                    token):
    client = csrf_app.test_client()

    response = client.post("/report", data=form_data(csrf_token=token), headers=EN)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form expired" in page
    assert "A video says a parked electric car caught fire" in page  # what was typed is kept
    assert stored(csrf_app) == nothing_stored


def test_a_valid_csrf_token_is_accepted(csrf_app, form_data, stored):
    client = csrf_app.test_client()

    response = client.post("/report", data=form_data(csrf_token=_token(client)))

    assert response.status_code == 303
    assert stored(csrf_app)["reports"] == 1


def test_a_token_from_another_session_is_refused(csrf_app, form_data, stored, nothing_stored):
    token = _token(csrf_app.test_client())

    response = csrf_app.test_client().post("/report", data=form_data(csrf_token=token))

    assert response.status_code == 400
    assert stored(csrf_app) == nothing_stored


def test_status_lookup_needs_no_csrf_token(csrf_app):
    response = csrf_app.test_client().get("/status?code=RD-0000-0000")

    assert response.status_code == 302


@pytest.mark.parametrize("website", ["http://spam.example", "x"])
def test_a_filled_honeypot_stores_nothing(app, client, form_data, stored, nothing_stored,
                                          website):
    response = client.post("/report", data=form_data(website=website), headers=EN)

    assert response.status_code == 400
    assert "The form could not be accepted" in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_the_honeypot_is_hidden_from_people(client):
    page = client.get("/report").get_data(as_text=True)

    assert re.search(r'<div class="hp" aria-hidden="true">\s*<label for="website">', page)
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', page)


def test_a_form_body_over_max_content_length_is_refused_with_413(app, client, form_data, upload,
                                                                stored, nothing_stored):
    big = b"\x89PNG\r\n\x1a\n" + bytes(int(4.5 * 1024 * 1024))
    files = [upload("png", name=f"{i}.png", data=big) for i in range(4)]
    assert len(big) * 4 > app.config["MAX_CONTENT_LENGTH"]

    response = client.post("/report", data=form_data(evidence=files), headers=EN)

    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "The upload is too large" in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_max_content_length_is_configurable(app_factory, form_data, upload, stored):
    app = app_factory(MAX_CONTENT_LENGTH=1024)

    response = app.test_client().post(
        "/report", data=form_data(evidence=[upload("pdf", data=b"%PDF-" + bytes(2000))]))

    assert response.status_code == 413
    assert stored(app)["reports"] == 0
