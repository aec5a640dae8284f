"""Bad requests to the JSON API: a 4xx JSON error that names the field, and nothing stored."""

import json

import pytest

EN = {"Accept-Language": "en"}
FIX = "Some fields need fixing."


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"claim": None}, "claim", "This field is required."),
    ({"claim": 12345}, "claim", "Must be a string."),
    ({"claim": ["a", "list"]}, "claim", "Must be a string."),
    ({"claim": "  Fake  "}, "claim", "Use at least 5 characters."),
    ({"claim": "x" * 2001}, "claim", "Use at most 2000 characters."),
    ({"explanation": "y" * 4001}, "explanation", "Use at most 4000 characters."),
    ({"explanation": False}, "explanation", "Must be a string."),
    ({"url": "example.com/no-scheme"}, "url", "Use a full web address"),
    ({"url": "javascript:alert(1)"}, "url", "Use a full web address"),
    ({"url": "https://example.com/" + "a" * 2100}, "url", "Use a full web address"),
    ({"url": ["https://example.com/1", "https://example.com/2"]}, "url", "Must be a string."),
    ({"platform": "myspace"}, "platform", "Use one of: wechat, weibo"),
    ({"language": "fr"}, "language", 'Use "zh" or "en".'),
    ({"seen_at": "yesterday"}, "seen_at", "Use an ISO 8601 date"),
    ({"seen_at": 1714550400}, "seen_at", "Use an ISO 8601 date"),
    ({"seen_at": "0001-01-01T00:00:00+01:00"}, "seen_at", "Use an ISO 8601 date"),
    ({"seen_at": "2999-01-01T00:00:00Z"}, "seen_at", "The date cannot be in the future."),
    ({"contact": "me@example.com"}, "contact", "Must be an object"),
    ({"contact": {"email": "not-an-email", "consent": True}}, "contact.email",
     "Enter an email like name@example.com."),
    ({"contact": {"email": 42}}, "contact.email", "Must be a string."),
    ({"contact": {"phone": "call me", "consent": True}}, "contact.phone",
     "Enter a phone number"),
    ({"contact": {"email": "me@example.com", "consent": "yes"}}, "contact.consent",
     "Must be true or false."),
    ({"contact": {"consent": True}}, "contact.consent",
     "Give an email or phone number so we can contact you."),
    ({"contact": {"email": "me@example.com", "twitter": "@me"}}, "contact.twitter",
     "Unknown field."),
    ({"title": "An extra field"}, "title", "Unknown field."),
])
def test_bad_field_is_named_and_nothing_is_stored(app, client, api_body, stored, nothing_stored,
                                                  overrides, field, message):
    response = client.post("/api/v1/reports", json=api_body(**overrides), headers=EN)

    assert response.status_code == 400
    assert response.is_json
    data = response.get_json()
    assert data["error"] == FIX
    assert message in data["fields"][field]
    assert stored(app) == nothing_stored


def test_every_bad_field_is_named_at_once(app, client, stored, nothing_stored):
    response = client.post("/api/v1/reports", headers=EN, json={
        "claim": 1, "url": "nope", "platform": "?", "extra": True,
        "contact": {"consent": "no"}})

    assert response.status_code == 400
    assert set(response.get_json()["fields"]) == {
        "claim", "url", "platform", "extra", "contact.consent"}
    assert stored(app) == nothing_stored


@pytest.mark.parametrize("body", [[], ["claim"], "a string", 42, True])
def test_a_body_that_is_not_an_object_is_refused(app, client, stored, nothing_stored, body):
    response = client.post("/api/v1/reports", json=body, headers=EN)

    assert response.status_code == 400
    assert response.get_json()["fields"] == {"body": "The body must be a JSON object."}
    assert stored(app) == nothing_stored


@pytest.mark.parametrize("raw", [
    b"{", b"{'claim': 'single quotes'}", b'{"claim": "x",}', b"", b"\xff\xfe\x00garbage",
    b"[" * 16000 + b"]" * 16000,
])
def test_invalid_json_is_refused(app, client, stored, nothing_stored, raw):
    response = client.post("/api/v1/reports", data=raw, content_type="application/json",
                           headers=EN)

    assert response.status_code == 400
    assert response.get_json() == {"error": "The body is not valid JSON.", "fields": {}}
    assert stored(app) == nothing_stored


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None,
])
def test_a_body_that_is_not_json_is_refused_with_415(app, client, stored, nothing_stored,
                                                     content_type):
    response = client.post("/api/v1/reports", data=b'{"claim": "EV battery fire rumour"}',
                           content_type=content_type, headers=EN)

    assert response.status_code == 415
    assert response.get_json() == {
        "error": "Send a JSON body with Content-Type: application/json.", "fields": {}}
    assert stored(app) == nothing_stored


def test_a_body_over_api_max_body_is_refused_with_413(app, client, stored, nothing_stored):
    raw = json.dumps({"claim": "EV battery fire rumour", "explanation": "x" * 40_000})
    assert len(raw) > app.config["API_MAX_BODY"]

    response = client.post("/api/v1/reports", data=raw, content_type="application/json",
                           headers=EN)

    assert response.status_code == 413
    assert response.is_json
    n = app.config["API_MAX_BODY"]
    assert response.get_json()["error"] == f"The JSON body is too large: send at most {n} bytes."
    assert stored(app) == nothing_stored


def test_api_max_body_is_configurable(app_factory, stored):
    app = app_factory(API_MAX_BODY=64)

    response = app.test_client().post("/api/v1/reports", json={"claim": "x" * 70})

    assert response.status_code == 413
    assert stored(app)["reports"] == 0


@pytest.mark.parametrize("key", ["", "k" * 129, "tab\tinside"])
def test_a_malformed_idempotency_key_is_refused(app, client, api_body, stored,
                                                nothing_stored, key):
    response = client.post("/api/v1/reports", json=api_body(),
                           headers={"Idempotency-Key": key, **EN})

    assert response.status_code == 400
    assert "Idempotency-Key must be 1 to 128 printable ASCII characters" in (
        response.get_json()["error"])
    assert stored(app) == nothing_stored


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/v1/reports", 405),
    ("put", "/api/v1/reports/RD-0000-0000", 405),
    ("get", "/api/v1/no-such-thing", 404),
])
def test_api_errors_are_json(client, method, path, status):
    response = getattr(client, method)(path, headers=EN)

    assert response.status_code == status
    assert response.is_json
    assert set(response.get_json()) == {"error", "fields"}
