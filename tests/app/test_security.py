"""Hostile input rendered inert, security headers everywhere, no open redirects."""

import pytest
from markupsafe import escape

from intake.core.extensions import db
from intake.core.models import Report

EN = {"Accept-Language": "en"}
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_stored_verbatim_and_never_shown_publicly(app, client, form_data, payload,
                                                               get_report):
    response = client.post("/report", data=form_data(
        claim=f"Claim {payload}", explanation=f"Because {payload}",
        urls=f"https://example.com/?q={payload}".replace(" ", "%20")))
    code = response.location.rsplit("/", 1)[1]

    report = get_report(app, code)
    assert report.claim == f"Claim {payload}"  # staff see exactly what was sent
    for path in (f"/report/receipt/{code}", f"/status/{code}", f"/api/v1/reports/{code}"):
        body = client.get(path).get_data(as_text=True)
        assert payload not in body
        assert "onerror" not in body and "alert(1)" not in body


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", ["claim", "explanation", "contact_email"])
def test_form_re_render_escapes_what_was_typed(client, form_data, payload, field):
    response = client.post("/report", data=form_data(
        **{field: f"Something {payload}"}, good_faith=None), headers=EN)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert payload not in page
    assert str(escape(f"Something {payload}")) in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_refused_link_is_quoted_escaped(client, form_data, payload):
    link = "javascript:" + payload.replace(" ", "")

    response = client.post("/report", data=form_data(urls=link), headers=EN)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>" not in page and "<img" not in page
    assert "javascript:" in page and "&lt;" in page


# A double quote would end the multipart filename parameter itself, so none here.
@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_a_refused_file_name_is_quoted_escaped(client, form_data, upload, payload):
    response = client.post("/report", headers=EN, data=form_data(
        evidence=[upload("png", name=f"{payload}.png", data=b"not an image")]))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert payload not in page
    assert "is not a PNG, JPEG, WebP or PDF file." in page and "&lt;" in page


def test_a_moderators_public_note_is_escaped(app, client, make_report):
    code = make_report()
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        report.case.status, report.case.outcome = "resolved", "false"
        report.case.decided_at = report.received_at
        report.case.public_note = PAYLOADS[1]
        db.session.commit()

    page = client.get(f"/status/{code}").get_data(as_text=True)

    assert PAYLOADS[1] not in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("path", [
    "/status/<script>alert(1)</script>",
    "/status?code=%3Cscript%3Ealert(1)%3C/script%3E",
    "/report/receipt/<script>alert(1)</script>",
    "/nope/<script>alert(1)</script>",
])
def test_reflected_paths_are_escaped(client, path):
    body = client.get(path).get_data(as_text=True)

    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize(("method", "path", "json"), [
    ("get", "/report", False),
    ("get", "/status", False),
    ("get", "/status/RD-0000-0000", False),
    ("get", "/no-such-page", False),
    ("post", "/report", False),
    ("get", "/healthz", True),
    ("get", "/api/v1/openapi.json", True),
    ("get", "/api/v1/reports/RD-0000-0000", True),
    ("post", "/api/v1/reports", True),
])
def test_security_headers_on_every_response(client, method, path, json):
    response = getattr(client, method)(path)

    assert response.is_json is json
    headers = response.headers
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client):
    for path in ("/report", "/status", "/status/RD-0000-0000"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " on" + "click=" not in page


def test_session_cookie_is_httponly_and_samesite(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)

    cookie = app.test_client().get("/report").headers["Set-Cookie"]

    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example", "http://evil.example/report", "/\\evil.example",
    "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "javascript:alert(1)", "evil.example", "", " /report", "/\x0b/evil.example",
    "/\u3000/evil.example",
])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})

    assert response.status_code == 302
    assert response.location == "/report"
    assert "lang=en" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["/status", "/status?code=RD-0000-0000", "/report#top"])
def test_language_switch_returns_to_a_local_page(client, target):
    response = client.get("/lang/zh", query_string={"next": target})

    assert (response.status_code, response.location) == (302, target)
