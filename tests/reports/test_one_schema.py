"""One report schema: the web form, the call form, the API and its document agree on every limit.

Each figure is read where people and programs meet it (the rendered form's maxlength and
options, the published OpenAPI document, the API's answer at the limit and one past it), so
a limit changed in one place only fails here.
"""

import re

import pytest
from wtforms.validators import Regexp

from intake.core.extensions import db
from intake.hotline.forms import CallForm
from intake.reports.forms import ReportForm
from intake.users import accounts as users

EN = {"Accept-Language": "en"}
# API field (dotted): (web form field, call form field, a valid value of a given length)
TEXT_FIELDS = {
    "claim": ("claim", "claim", lambda n: "x" * n),
    "explanation": ("explanation", "explanation", lambda n: "y" * n),
    "url": (None, "url", lambda n: "https://example.com/" + "a" * (n - 20)),
    "contact.email": ("contact_email", None,
                      lambda n: "a" * 64 + "@" + "b" * (n - 69) + ".com"),
    "contact.phone": ("contact_phone", "caller_number", lambda n: "+" + "1" * (n - 1)),
}


@pytest.fixture
def body_schema(client) -> dict:
    document = client.get("/api/v1/openapi.json").get_json()
    return document["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]


@pytest.fixture
def pages(app, client) -> dict[str, str]:
    """The public report page and the operator's call screen, as people get them."""
    with app.app_context():
        users.create_user("olga", "correct horse battery", "operator", [], actor="cli:test")
        db.session.commit()
    operator = app.test_client()
    operator.post("/staff/login", data={"username": "olga", "password": "correct horse battery"})
    call = operator.get("/staff/hotline", headers=EN)
    assert call.status_code == 200
    return {"web": client.get("/report", headers=EN).get_data(as_text=True),
            "call": call.get_data(as_text=True)}


def _tag(page: str, field: str) -> str:
    return re.search(rf'<(?:input|textarea|select)[^>]*\bid="{field}"[^>]*>', page).group(0)


def _documented(schema: dict, dotted: str) -> dict:
    for part in dotted.split("."):
        schema = schema["properties"][part]
    return schema


def _body(dotted: str, value: str) -> dict:
    body = {"claim": "EV battery fire rumour"}
    if dotted.startswith("contact."):
        body["contact"] = {dotted.split(".")[1]: value}
    else:
        body[dotted] = value
    return body


def _attribute(html: str, name: str) -> int | None:
    found = re.search(rf'\b{name}="(\d+)"', html)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("dotted", sorted(TEXT_FIELDS))
def test_every_max_length_is_the_same_everywhere(client, body_schema, pages, dotted):
    web_field, call_field, value = TEXT_FIELDS[dotted]
    limit = _documented(body_schema, dotted)["maxLength"]

    if web_field:
        assert _attribute(_tag(pages["web"], web_field), "maxlength") == limit, web_field
    if call_field:
        assert _attribute(_tag(pages["call"], call_field), "maxlength") == limit, call_field
    assert len(value(limit)) == limit
    at_limit = client.post("/api/v1/reports", json=_body(dotted, value(limit)), headers=EN)
    past_it = client.post("/api/v1/reports", json=_body(dotted, value(limit + 1)), headers=EN)
    assert at_limit.status_code == 201, at_limit.get_json()
    assert past_it.status_code == 400
    assert list(past_it.get_json()["fields"]) == [dotted]


def test_the_claim_minimum_is_the_same_everywhere(client, body_schema, pages):
    least = body_schema["properties"]["claim"]["minLength"]

    for page in pages.values():
        assert _attribute(_tag(page, "claim"), "minlength") == least
    short = client.post("/api/v1/reports", json={"claim": "x" * (least - 1)}, headers=EN)
    assert short.get_json()["fields"] == {"claim": f"Use at least {least} characters."}
    assert client.post("/api/v1/reports", json={"claim": "x" * least}).status_code == 201


def _options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select[^>]*\bid="{field}".*?</select>', page, re.S).group(0)
    return [key for key in re.findall(r'<option[^>]*value="([^"]*)"', select) if key]


@pytest.mark.parametrize(("field", "on"), [("platform", ("web", "call")), ("language", ("call",))])
def test_every_choice_list_is_the_same_everywhere(client, body_schema, pages, field, on):
    documented = body_schema["properties"][field]["enum"]

    for name in on:
        assert _options(pages[name], field) == documented, name
    for key in documented:
        response = client.post("/api/v1/reports", json={"claim": "Battery fire", field: key})
        assert response.status_code == 201, (key, response.get_json())
    refused = client.post("/api/v1/reports", json={"claim": "Battery fire", field: "none-such"})
    assert list(refused.get_json()["fields"]) == [field]


def test_the_phone_pattern_is_the_same_everywhere(app, body_schema):
    documented = body_schema["properties"]["contact"]["properties"]["phone"]["pattern"]

    with app.test_request_context():
        for field in (ReportForm().contact_phone, CallForm().caller_number):
            [regexp] = [v for v in field.validators if isinstance(v, Regexp)]
            assert regexp.regex.pattern == documented


def test_the_email_pattern_is_documented(app, body_schema):
    documented = body_schema["properties"]["contact"]["properties"]["email"]["pattern"]

    with app.test_request_context():
        [regexp] = [v for v in ReportForm().contact_email.validators if isinstance(v, Regexp)]
    assert regexp.regex.pattern == documented


@pytest.mark.parametrize(("seen", "web", "api"), [
    ("2026-11-20", 303, 201),  # today in Beijing (18:00 there)
    ("2026-11-21", 400, 400),  # tomorrow there: the API once allowed a day's leeway in UTC
    ("1969-12-31", 400, 400),  # before 1970: the API once took any year
])
def test_the_seen_date_is_bounded_alike_in_the_newsroom_zone(app_factory, form_data, seen,
                                                             web, api):
    app = app_factory(CLOCK_NOW="2026-11-20T10:00:00Z")
    client = app.test_client()
    moment = f"{seen}T05:00:00Z"  # 13:00 in Beijing on that day

    assert client.post("/report", data=form_data(seen_at=seen)).status_code == web
    response = client.post("/api/v1/reports", json={"claim": "Battery fire", "seen_at": moment})
    assert response.status_code == api, response.get_json()
