"""Real-sized evidence: random-content photos (as real ones are) go through the form intact."""

import hashlib
from pathlib import Path

import pytest

EN = {"Accept-Language": "en"}
MB = 1024 * 1024


def _stored_files(app, get_report, response) -> list[tuple[str, str, bytes]]:
    code = response.location.rsplit("/", 1)[1]
    report = get_report(app, code)
    return [(a.content_type, a.sha256, Path(app.config["UPLOAD_DIR"], a.stored_name).read_bytes())
            for a in report.attachments]


def test_a_real_png_and_a_random_jpeg_go_through(app, client, form_data, upload, get_report,
                                                 random_png, random_jpeg):
    png = random_png(400, 412, seed=7)  # ~494 KB: the size of the PNG the audit saw refused
    jpeg = random_jpeg(MB, seed=8)
    assert 480_000 < len(png) < 500_000

    response = client.post("/report", headers=EN, data=form_data(evidence=[
        upload(name="screenshot.png", data=png), upload(name="photo.jpg", data=jpeg)]))

    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert _stored_files(app, get_report, response) == [
        ("image/png", hashlib.sha256(png).hexdigest(), png),
        ("image/jpeg", hashlib.sha256(jpeg).hexdigest(), jpeg),
    ]


@pytest.mark.parametrize("seed", range(4))
def test_three_photos_just_under_the_limit_go_through(app, client, form_data, upload,
                                                      get_report, random_jpeg, seed):
    photos = [random_jpeg(5 * MB - 1024 * i, seed=10 * seed + i) for i in range(3)]

    response = client.post("/report", headers=EN, data=form_data(evidence=[
        upload(name=f"IMG_{i}.jpg", data=photo) for i, photo in enumerate(photos)]))

    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert [data for _, _, data in _stored_files(app, get_report, response)] == photos


def test_a_photo_over_5_mb_gets_a_form_error_naming_it(app, client, form_data, upload, stored,
                                                       nothing_stored, random_jpeg):
    big = random_jpeg(5 * MB + 1, seed=3)

    response = client.post("/report", headers=EN, data=form_data(evidence=[
        upload(name="big.jpg", data=big)]))

    assert response.status_code == 400
    assert "big.jpg is larger than 5 MB." in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_photos_over_the_request_limit_get_413_saying_what_fits(app, client, form_data,
                                                                upload, stored,
                                                                nothing_stored, random_jpeg):
    photos = [random_jpeg(5 * MB, seed=20 + i) for i in range(4)]

    response = client.post("/report", headers={"Accept-Language": "zh"}, data=form_data(
        evidence=[upload(name=f"{i}.jpg", data=photo) for i, photo in enumerate(photos)]))

    assert response.status_code == 413
    assert "5 MB" in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_an_overlong_text_field_is_a_form_error_not_413(app, client, form_data, stored,
                                                        nothing_stored):
    response = client.post("/report", headers=EN, data=form_data(claim="电" * 60_000))

    assert response.status_code == 400
    assert "Use between 5 and 2,000 characters." in response.get_data(as_text=True)
    assert stored(app) == nothing_stored


def test_a_form_memory_limit_that_would_refuse_photos_stops_start_up(standalone_app, tmp_path):
    with pytest.raises(RuntimeError, match="MAX_FORM_MEMORY_SIZE must be at least"):
        standalone_app(tmp_path, MAX_FORM_MEMORY_SIZE=64 * 1024)
