"""The public report form: what a valid submission stores and where it leads."""

import hashlib
import re
from datetime import datetime
from pathlib import Path

import pytest

ZH = {
    "claim": "网传视频称某品牌电动汽车在武汉地下车库停放时电池自燃，车主当场受伤。",
    "explanation": "该视频2021年已在其他城市流传，画面与武汉无关。",
    "urls": "https://weibo.com/1234567/AbCdEf?from=page_100505&wvr=6",
}
EN = {
    "claim": "A video says a parked electric car caught fire by itself in Wuhan.",
    "explanation": "The same video circulated in 2021 about a different city.",
    "urls": "https://www.Example.com/news/ev-fire/?utm_source=wechat&id=7#comments",
}


def _code_from(response) -> str:
    match = re.fullmatch(r"/report/receipt/(RD-[0-9A-Z]{4}-[0-9A-Z]{4})", response.location)
    assert match, response.location
    return match.group(1)


@pytest.mark.parametrize(("fields", "language", "url_key"), [
    (ZH, "zh", "weibo.com/1234567/AbCdEf?wvr=6"),
    (EN, "en", "example.com/news/ev-fire?id=7"),
])
def test_valid_report_is_stored_with_its_evidence(app, client, form_data, upload, stored,
                                                 get_report, sample, fields, language, url_key):
    # Named .jpg but the bytes are a PNG: the stored type comes from the content.
    response = client.post("/report", data=form_data(
        **fields, evidence=[upload("png", name="photo.jpg")]))

    assert response.status_code == 303
    report = get_report(app, _code_from(response))
    assert report.channel == "web"
    assert report.language == language
    assert report.claim == fields["claim"]
    assert report.explanation == fields["explanation"]
    assert report.platform == "weibo"
    assert report.seen_at == datetime(2024, 3, 1, 12)
    assert report.good_faith is True
    assert report.scoring_status == "unscored"
    assert [(u.url, u.url_key) for u in report.urls] == [(fields["urls"], url_key)]
    assert report.case.status == "open"
    assert report.case.report_count == 1
    [attachment] = report.attachments
    assert attachment.original_name == "photo.jpg"
    assert attachment.content_type == "image/png"
    assert attachment.size == len(sample("png"))
    assert attachment.sha256 == hashlib.sha256(sample("png")).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    written = Path(app.config["UPLOAD_DIR"], attachment.stored_name)
    assert written.read_bytes() == sample("png")
    assert stored(app) == {"reports": 1, "cases": 1, "urls": 1, "attachments": 1,
                           "idempotency_keys": 0, "files": 1}


def test_receipt_page_shows_the_tracking_code(client, form_data):
    response = client.post("/report", data=form_data(), follow_redirects=True)

    assert response.status_code == 200
    code = response.request.path.rsplit("/", 1)[1]
    page = response.get_data(as_text=True)
    assert f'<p class="code" id="tracking-code">{code}</p>' in page
    assert f'href="/status/{code}"' in page


def test_three_files_of_every_accepted_kind_are_stored(app, client, form_data, upload, stored,
                                                       get_report):
    evidence = [upload("jpeg", name="a.jpeg"), upload("webp", name="b.webp"),
                upload("pdf", name="c.pdf")]
    response = client.post("/report", data=form_data(evidence=evidence))

    report = get_report(app, _code_from(response))
    assert sorted((a.original_name, a.content_type) for a in report.attachments) == [
        ("a.jpeg", "image/jpeg"), ("b.webp", "image/webp"), ("c.pdf", "application/pdf")]
    assert stored(app)["files"] == 3


@pytest.mark.parametrize(("consent", "email", "phone", "kept"), [
    ("y", "reporter@example.com", "+86 138-0013-8000", True),
    ("y", "reporter@example.com", "", True),
    ("", "reporter@example.com", "+86 138-0013-8000", False),
])
def test_contact_details_are_kept_only_with_consent(app, client, form_data, get_report,
                                                    consent, email, phone, kept):
    response = client.post("/report", data=form_data(
        contact_email=email, contact_phone=phone, contact_consent=consent or None))

    report = get_report(app, _code_from(response))
    assert report.contact_consent is kept
    assert report.contact_email == (email if kept else None)
    assert report.contact_phone == ((phone or None) if kept else None)


def test_optional_fields_may_be_left_empty(app, client, form_data, get_report, stored):
    response = client.post("/report", data=form_data(urls="", platform="", seen_at="",
                                                     evidence=None))

    report = get_report(app, _code_from(response))
    assert (report.urls, report.attachments, report.platform, report.seen_at) == (
        [], [], None, None)
    assert stored(app)["files"] == 0


def test_several_links_keep_their_order(app, client, form_data, get_report):
    links = ["https://example.com/a", "http://news.example.org/b?x=1", "https://example.net/"]
    response = client.post("/report", data=form_data(urls="\n\n".join(links) + "\n"))

    report = get_report(app, _code_from(response))
    assert [(u.position, u.url) for u in report.urls] == list(enumerate(links))


def test_form_page_renders_every_field(client):
    page = client.get("/report", headers={"Accept-Language": "en"}).get_data(as_text=True)

    for name in ("urls", "platform", "claim", "explanation", "seen_at", "evidence",
                 "contact_email", "contact_phone", "contact_consent", "good_faith", "website"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_root_redirects_to_the_form(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.location == "/report"
