"""Bad input on the report form: 400, a message next to the field, and nothing stored."""

import html
import re
from datetime import date, timedelta

import pytest

EN = {"Accept-Language": "en"}
TOO_BIG = 5 * 1024 * 1024 + 1


def _field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {field}"
    return html.unescape(match.group(1)).strip()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"claim": ""}, "claim", "Tell us what the content claims."),
    ({"claim": "   \n  "}, "claim", "Tell us what the content claims."),
    ({"claim": "Fake"}, "claim", "Use between 5 and 2,000 characters."),
    ({"claim": "x" * 2001}, "claim", "Use between 5 and 2,000 characters."),
    ({"explanation": ""}, "explanation", "Tell us why you believe it is false or harmful."),
    ({"explanation": "y" * 4001}, "explanation", "Use at most 4,000 characters."),
    ({"urls": "not a link"}, "urls", "This is not a valid web address"),
    ({"urls": "ftp://example.com/file"}, "urls", "ftp://example.com/file"),
    ({"urls": "https://localhost/x"}, "urls", "must start with http:// or https://"),
    ({"urls": "https://example.com:99999/x"}, "urls", "This is not a valid web address"),
    ({"urls": "\n".join(f"https://example.com/{i}" for i in range(6))}, "urls",
     "Give at most 5 links."),
    ({"platform": "myspace"}, "platform", "Not a valid choice"),
    ({"seen_at": (date.today() + timedelta(days=2)).isoformat()}, "seen_at",
     "The date cannot be in the future"),
    ({"seen_at": "2024-13-45"}, "seen_at", "Not a valid date value."),
    ({"contact_email": "reporter-at-example.com", "contact_consent": "y"}, "contact_email",
     "Enter an email like name@example.com."),
    ({"contact_email": "a@b.c"}, "contact_email", "Enter an email like name@example.com."),
    # No length limit used to reach the 254-character column: a 500 on PostgreSQL.
    ({"contact_email": "reader@" + "news." * 60 + "example.com", "contact_consent": "y"},
     "contact_email", "Use at most 254 characters for the email."),
    ({"seen_at": "0001-01-01"}, "seen_at", "Give a date between 1970 and 2100."),
    ({"contact_phone": "call me maybe"}, "contact_phone",
     "Enter a phone number using digits, spaces or dashes."),
    ({"contact_consent": "y"}, "contact_consent",
     "Give an email or phone number so we can contact you."),
    ({"good_faith": None}, "good_faith", "Please confirm that you report in good faith."),
])
def test_bad_field_is_refused_with_a_message(app, client, form_data, stored, nothing_stored,
                                             overrides, field, message):
    response = client.post("/report", data=form_data(**overrides), headers=EN)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _field_error(page, field)
    assert f'href="#{field}"' in page  # the summary links to the field
    assert 'aria-invalid="true"' in page
    assert stored(app) == nothing_stored


@pytest.mark.parametrize(("evidence", "message"), [
    ([("png", "screenshot.png", b"GIF89a\x01\x00\x01\x00 not a png")],
     "screenshot.png is not a PNG, JPEG, WebP or PDF file."),
    ([("png", "page.png", b"<html><script>alert(1)</script></html>")],
     "page.png is not a PNG, JPEG, WebP or PDF file."),
    ([("png", "huge.png", b"\x89PNG\r\n\x1a\n" + bytes(TOO_BIG - 8))],
     "huge.png is larger than 5 MB."),
    ([("png", None, None)] * 4, "Attach at most 3 files."),
    ([("png", None, None), ("pdf", "notes.pdf", b"%PDX-1.4 broken")],
     "notes.pdf is not a PNG, JPEG, WebP or PDF file."),
])
def test_bad_evidence_is_refused_and_no_file_is_written(app, client, form_data, upload, stored,
                                                        nothing_stored, evidence, message):
    files = [upload(kind, name=name, data=data) for kind, name, data in evidence]

    response = client.post("/report", data=form_data(evidence=files), headers=EN)

    assert response.status_code == 400
    shown = _field_error(response.get_data(as_text=True), "evidence")
    assert shown.startswith(message)
    assert "choose" in shown and "again before you send it" in shown  # never dropped silently
    assert stored(app) == nothing_stored


def test_a_file_of_exactly_5_mb_is_accepted(app, client, form_data, upload, stored):
    data = b"%PDF-1.4\n" + bytes(5 * 1024 * 1024 - 9)

    response = client.post("/report", data=form_data(evidence=[upload("pdf", data=data)]))

    assert response.status_code == 303
    assert stored(app)["files"] == 1


def test_every_bad_field_is_reported_at_once(app, client, form_data, stored, nothing_stored):
    response = client.post("/report", headers=EN, data=form_data(
        claim="", urls="nope", contact_phone="x", good_faith=None))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("claim", "urls", "contact_phone", "good_faith"):
        assert _field_error(page, field)
    assert stored(app) == nothing_stored


def test_form_keeps_what_was_typed_after_an_error(client, form_data):
    response = client.post("/report", headers=EN, data=form_data(
        claim="Battery recall rumour about brand X", good_faith=None,
        contact_email="me@example.com"))

    page = response.get_data(as_text=True)
    typed = "\r\nBattery recall rumour about brand X</textarea>"
    assert f'name="claim" required rows="4">{typed}' in page
    assert 'value="me@example.com"' in page
