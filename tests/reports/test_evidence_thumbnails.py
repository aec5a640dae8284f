"""Evidence photos show as server-made thumbnails, to the staff of the case's desk only."""

import io

import pytest
from factories import unique_claim
from PIL import Image

from intake.core.extensions import db
from intake.core.models import Report
from intake.reports import thumbnails
from intake.reports.evidence import Upload

from .photos import noise_jpeg, png_header

PHOTO = noise_jpeg()


@pytest.fixture
def photo_case(app, make_report, make_user):
    """A case on the battery desk whose report carries a camera-sized photo and a PDF."""
    make_user("mona")
    make_user("vic", desks=("vehicle-data",))
    make_user("root", role="admin", desks=())
    make_user("otto", role="operator", desks=())
    code = make_report(claim=unique_claim(), uploads=[
        Upload("IMG_0001.jpg", "image/jpeg", PHOTO),
        Upload("statement.pdf", "application/pdf", b"%PDF-1.4\n%fake but typed by magic\n")])
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        report.case.topic = "battery-safety"
        db.session.commit()
        photo, pdf = sorted(report.attachments, key=lambda a: a.id)
        return report.case_id, photo.id, pdf.id


def test_the_photo_is_big_and_its_thumbnail_small(app, client_as, photo_case):
    case_id, photo_id, _ = photo_case
    assert len(PHOTO) > 3_000_000
    response = client_as("mona").get(f"/staff/evidence/{photo_id}/thumbnail")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response.headers["Cache-Control"]
    assert len(response.data) < 60_000
    with Image.open(io.BytesIO(response.data)) as thumb:
        assert thumb.format == "JPEG"
        assert max(thumb.size) == thumbnails.THUMB_PX
        assert thumb.size == (240, 180)  # the photo's 4:3 kept


def test_the_case_page_shows_the_thumbnail_and_the_pdf_as_a_link(client_as, photo_case):
    case_id, photo_id, pdf_id = photo_case
    html = client_as("mona").get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert f'src="/staff/evidence/{photo_id}/thumbnail"' in html
    assert f'id="thumb-{photo_id}"' in html
    assert f"/staff/evidence/{pdf_id}/thumbnail" not in html
    assert f'href="/staff/evidence/{pdf_id}"' in html and "application/pdf" in html


def test_the_thumbnail_is_made_once_and_cached(app, client_as, photo_case):
    _, photo_id, _ = photo_case
    client = client_as("mona")
    first = client.get(f"/staff/evidence/{photo_id}/thumbnail").data
    with app.app_context():
        from intake.core.models import Attachment
        stored = db.session.get(Attachment, photo_id).stored_name
    cached = thumbnails.cached_path(app.config["UPLOAD_DIR"], stored)
    assert cached.read_bytes() == first
    cached.write_bytes(first + b"")  # same bytes, new mtime: served from the cache, not remade
    mtime = cached.stat().st_mtime_ns
    assert client.get(f"/staff/evidence/{photo_id}/thumbnail").data == first
    assert cached.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("who, status", [(None, 303), ("otto", 403), ("vic", 403)])
def test_others_get_no_thumbnail(client_as, photo_case, who, status):
    _, photo_id, _ = photo_case
    response = client_as(who).get(f"/staff/evidence/{photo_id}/thumbnail")
    assert response.status_code == status
    assert b"\xff\xd8\xff" not in response.data


def test_an_admin_sees_every_desk(client_as, photo_case):
    assert client_as("root").get(f"/staff/evidence/{photo_case[1]}/thumbnail").status_code == 200


def test_a_pdf_has_no_thumbnail_and_says_so(client_as, photo_case):
    response = client_as("mona").get(f"/staff/evidence/{photo_case[2]}/thumbnail",
                                     headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert b"download it instead" in response.data
    zh = client_as("mona").get(f"/staff/evidence/{photo_case[2]}/thumbnail",
                               headers={"Accept-Language": "zh-CN"})
    assert "无法显示为图片，请下载查看" in zh.get_data(as_text=True)


def test_a_decompression_bomb_is_refused_before_decoding(app, tmp_path):
    """A 100000 x 100000 PNG header (10 gigapixels): refused from its header alone."""
    (tmp_path / "bomb").write_bytes(png_header(100_000, 100_000))
    assert thumbnails.thumbnail(str(tmp_path), "bomb", "image/png") is None
    (tmp_path / "broken").write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    assert thumbnails.thumbnail(str(tmp_path), "broken", "image/jpeg") is None


def test_unknown_attachment_is_404(client_as, photo_case):
    assert client_as("root").get("/staff/evidence/999999/thumbnail").status_code == 404
