"""Evidence names: downloads named by the detected type, shown names without bidi tricks."""

import pytest
from factories import PNG, unique_claim

from intake.core.extensions import db
from intake.core.models import Report
from intake.reports.evidence import Upload

PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"  # a PDF/HTML polyglot
JPEG = b"\xff\xd8\xff\xe0" + bytes(200) + b"\xff\xd9"


@pytest.fixture
def evidence_of(app, make_report, make_user):
    """Store a report with one file; return the attachment id (admin `root` may see it)."""
    make_user("root", role="admin", desks=())

    def make(name: str, content_type: str, data: bytes) -> int:
        code = make_report(claim=unique_claim(), uploads=[Upload(name, content_type, data)])
        with app.app_context():
            report = db.session.scalars(
                db.select(Report).where(Report.tracking_code == code)).one()
            return report.attachments[0].id

    return make


@pytest.mark.parametrize("name, content_type, data, expected", [
    ("photo.exe", "image/jpeg", JPEG, "photo.jpg"),
    ("page.html", "application/pdf", PDF, "page.pdf"),
    ("invoice\u202egnp.exe", "image/png", PNG, "invoicegnp.png"),
    ("截图.PNG", "image/png", PNG, "截图.png"),
    (".htaccess", "image/png", PNG, "evidence.png"),
])
def test_download_is_named_by_its_detected_type(client_as, evidence_of, name, content_type,
                                               data, expected):
    attachment_id = evidence_of(name, content_type, data)

    response = client_as("root").get(f"/staff/evidence/{attachment_id}")

    assert response.status_code == 200 and response.data == data
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert response.headers["Content-Type"].split(";")[0] == content_type
    if expected.isascii():
        assert f'filename={expected}' in disposition
    else:
        assert "filename*=UTF-8''" in disposition and "%E6%88%AA%E5%9B%BE.png" in disposition
    for bad in ("exe", "html", "\u202e", "%E2%80%AE"):
        assert bad not in disposition


def test_the_case_page_shows_names_without_bidi_controls(app, client_as, evidence_of):
    attachment_id = evidence_of("invoice\u202egnp.exe", "image/png", PNG)
    with app.app_context():
        case_id = db.session.scalars(db.select(Report.case_id).join(Report.attachments)).one()

    page = client_as("root").get(f"/staff/cases/{case_id}").get_data(as_text=True)

    assert f'/staff/evidence/{attachment_id}" download>invoicegnp.exe</a>' in page
    assert "\u202e" not in page
