"""Public status by tracking code: HTML page, lookup form and JSON, with nothing personal."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Report
from intake.reports.tracking import ALPHABET, new_code

EN = {"Accept-Language": "en"}
TYPO = "This code contains a typo: one character is wrong or two are swapped."
FORMAT = "A tracking code looks like RD-7K3M-9QX1."
UNKNOWN_PAGE = "No report has this tracking code. Check it and try again."
# A valid code with 0 and 1 in it, so the O/I/L aliases can be typed for them.
KNOWN = "RD-10K1-0Q1X"
PERSONAL = {"claim": "Unique claim text: brand Z recalls every car on Friday.",
            "explanation": "Unique explanation: my cousin works there.",
            "contact_email": "whistle@example.com", "contact_phone": "+86 139 0000 1111",
            "contact_consent": True}


@pytest.fixture
def report_code(app, make_report):
    """Store a report and give it the tracking code KNOWN."""
    code = make_report(**PERSONAL)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        report.tracking_code = KNOWN
        db.session.commit()
    return KNOWN


@pytest.fixture
def set_case(app):
    """Change the case behind a tracking code directly (moderation comes later)."""

    def update(code: str, **fields):
        with app.app_context():
            report = db.session.scalars(
                db.select(Report).where(Report.tracking_code == code)).one()
            for name, value in fields.items():
                setattr(report.case, name, value)
            db.session.commit()

    return update


def _mistyped(code: str) -> str:
    symbol = code[3]
    return code[:3] + ALPHABET[(ALPHABET.index(symbol) + 1) % 32] + code[4:]


def _swapped(code: str) -> str:
    # "RD-10K1-0Q1X": "K1" -> "1K" (any swap of different symbols other than 0/Z is caught).
    return code[:5] + code[6] + code[5] + code[7:]


def test_status_page_of_a_new_report(client, report_code):
    response = client.get(f"/status/{report_code}", headers=EN)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>Report {report_code}</h1>" in page
    assert '<dd id="status">Received</dd>' in page
    assert 'id="outcome"' not in page
    assert "Come back later" in page


def test_status_json_of_a_new_report(client, report_code):
    response = client.get(f"/api/v1/reports/{report_code}")

    data = response.get_json()
    assert response.status_code == 200
    assert data["tracking_code"] == report_code
    assert (data["status"], data["outcome"], data["public_note"], data["decided_at"]) == (
        "received", None, None, None)
    assert data["received_at"].endswith("Z")
    age = datetime.now(UTC) - datetime.fromisoformat(data["received_at"])
    assert timedelta(0) <= age < timedelta(minutes=1)
    assert data["status_url"] == f"http://localhost/status/{report_code}"


@pytest.mark.parametrize("path", ["/status/{code}", "/api/v1/reports/{code}"])
def test_status_shows_nothing_personal(client, report_code, path):
    response = client.get(path.format(code=report_code))

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for value in PERSONAL.values():
        if isinstance(value, str):
            assert value not in body
    assert "whistle" not in body and "0000 1111" not in body


def test_status_json_has_exactly_the_public_fields(client, report_code):
    data = client.get(f"/api/v1/reports/{report_code}").get_json()

    assert set(data) == {"tracking_code", "status", "received_at", "outcome", "public_note",
                         "decided_at", "status_url"}


def test_resolved_case_shows_outcome_and_note(client, report_code, set_case):
    note = "The video shows a 2019 fire in another country; the brand issued no recall."
    set_case(report_code, status="resolved", outcome="misleading", public_note=note,
             decided_at=datetime(2024, 5, 2, 9, 15))

    page = client.get(f"/status/{report_code}", headers=EN).get_data(as_text=True)
    data = client.get(f"/api/v1/reports/{report_code}").get_json()

    assert '<dd id="status">Resolved</dd>' in page
    assert '<dd id="outcome">Misleading</dd>' in page
    assert f'<p id="public-note">{note}</p>' in page
    assert "2024-05-02" in page
    assert (data["status"], data["outcome"], data["public_note"], data["decided_at"]) == (
        "resolved", "misleading", note, "2024-05-02T09:15:00Z")


def test_outcome_stays_hidden_until_the_case_is_resolved(client, report_code, set_case):
    set_case(report_code, status="under_review", outcome="false", public_note="Draft note")

    page = client.get(f"/status/{report_code}", headers=EN).get_data(as_text=True)
    data = client.get(f"/api/v1/reports/{report_code}").get_json()

    assert '<dd id="status">Under review</dd>' in page
    assert "Draft note" not in page and 'id="outcome"' not in page
    assert (data["status"], data["outcome"], data["public_note"]) == (
        "under_review", None, None)


@pytest.mark.parametrize("typed", [
    KNOWN.lower(), " rd 10k1 0q1x ", "RD10K10Q1X", "10K10Q1X", "10k1-0q1x",
    "RD-1OK1-OQ1X", "RD-10KI-0QLX", "rd-lok1-oqix",
])
def test_codes_are_accepted_however_they_are_typed(client, report_code, typed):
    lookup = client.get("/status", query_string={"code": typed})
    page = client.get(f"/status/{typed}")
    api = client.get(f"/api/v1/reports/{typed}")

    assert lookup.status_code == 302
    assert lookup.location == f"/status/{KNOWN}"
    assert page.status_code == 200
    assert f"{KNOWN}</h1>" in page.get_data(as_text=True)
    assert (api.status_code, api.get_json()["tracking_code"]) == (200, KNOWN)


@pytest.mark.parametrize(("typed", "message"), [
    (_mistyped(KNOWN), TYPO),
    (_swapped(KNOWN), TYPO),
    ("RD-7K3M", FORMAT),
    ("RD-10K1-0Q1X-9", FORMAT),
    ("RD-10K1-0QUX", FORMAT),
    ("hello", FORMAT),
])
def test_mistyped_codes_get_a_message_saying_what_is_wrong(client, report_code, typed, message):
    page = client.get(f"/status/{typed}", headers=EN)
    lookup = client.get("/status", query_string={"code": typed}, headers=EN)
    api = client.get(f"/api/v1/reports/{typed}", headers=EN)

    for response in (page, lookup):
        assert response.status_code == 400
        assert f'<p class="error" id="code-error">{message} </p>' in response.get_data(
            as_text=True)
    assert (api.status_code, api.get_json()["error"]) == (400, message)


def test_an_unknown_code_is_404(client, report_code):
    code = new_code()
    assert code != report_code

    page = client.get(f"/status/{code}", headers=EN)
    api = client.get(f"/api/v1/reports/{code}", headers=EN)

    assert page.status_code == 404
    assert UNKNOWN_PAGE in page.get_data(as_text=True)
    assert f'value="{code}"' in page.get_data(as_text=True)  # the form keeps the code
    assert (api.status_code, api.get_json()["error"]) == (404, "No report has this tracking code.")


def test_lookup_form_without_a_code_is_an_empty_form(client):
    response = client.get("/status", headers=EN)

    assert response.status_code == 200
    assert "Check the status of a report" in response.get_data(as_text=True)
    assert 'class="error"' not in response.get_data(as_text=True)


def test_lookup_with_an_empty_code_asks_for_one(client):
    response = client.get("/status?code=", headers=EN)

    assert response.status_code == 400
    assert "Enter your tracking code." in response.get_data(as_text=True)


@pytest.mark.parametrize(("code", "status"), [(KNOWN, 200), ("rd-10k1-0q1x", 200),
                                               (_mistyped(KNOWN), 404), ("junk", 404)])
def test_receipt_page_only_accepts_well_formed_codes(client, code, status):
    response = client.get(f"/report/receipt/{code}")

    assert response.status_code == status
    if status == 200:
        assert f'id="tracking-code">{KNOWN}</p>' in response.get_data(as_text=True)
