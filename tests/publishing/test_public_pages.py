"""The public debunk page: ClaimReview markup, privacy, slugs, languages, local dates."""

import json
import re
from datetime import datetime

import pytest

from intake.core.extensions import db
from intake.core.models import Report

from .conftest import get_debunk

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _claim_reviews(html: str) -> list[dict]:
    return [json.loads(block) for block in LD_JSON.findall(html)]


def _url(app, debunk_id: int) -> str:
    with app.app_context():
        debunk = get_debunk(debunk_id)
        return f"/debunks/{debunk.id}-{debunk.slug}"


def test_the_page_carries_one_claim_review_with_the_required_properties(
        app, client_as, published):
    debunk_id = published(sources="https://example.org/statement", report={"urls": [
        "https://weibo.com/1234/AbCd?share_token=zz&utm_source=x#comments",
        "https://www.douyin.com/video/7311"]})
    url = _url(app, debunk_id)
    html = client_as(lang="en").get(url).get_data(as_text=True)
    [review] = _claim_reviews(html)
    assert html.count("application/ld+json") == 1
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "A parked EV caught fire by itself in a Wuhan garage."
    assert review["url"] == f"http://localhost{url}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "False"
    assert all(isinstance(rating[key], int) for key in ("ratingValue", "bestRating",
                                                        "worstRating"))
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["author"] == {"@type": "Organization", "name": "Report Desk",
                                "url": "http://localhost/"}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["appearance"] == [
        {"@type": "CreativeWork", "url": "https://weibo.com/1234/AbCd"},  # no share token
        {"@type": "CreativeWork", "url": "https://www.douyin.com/video/7311"}]
    assert item["firstAppearance"] == item["appearance"][0]


def test_author_and_canonical_url_come_from_the_settings(app_factory, client_as, published):
    app = app_factory(NEWSROOM_NAME="ICV Fact Desk", NEWSROOM_URL="https://news.example.org",
                      PUBLIC_URL="https://desk.example.org/")
    debunk_id = published()
    url = _url(app, debunk_id)
    html = app.test_client().get(url).get_data(as_text=True)
    [review] = _claim_reviews(html)
    assert review["author"] == {"@type": "Organization", "name": "ICV Fact Desk",
                                "url": "https://news.example.org"}
    assert review["url"] == f"https://desk.example.org{url}"
    assert f'<link rel="canonical" href="https://desk.example.org{url}">' in html


@pytest.mark.parametrize("outcome, rating, label", [
    ("false", 1, "False"), ("misleading", 2, "Misleading"), ("accurate", 5, "Accurate")])
def test_the_rating_follows_the_verdict(app, client_as, published, outcome, rating, label):
    html = client_as().get(_url(app, published(outcome=outcome))).get_data(as_text=True)
    [review] = _claim_reviews(html)
    assert review["reviewRating"]["ratingValue"] == rating
    assert review["reviewRating"]["alternateName"] == label
    assert f'id="verdict">{label}<' in html


def test_the_json_ld_cannot_break_out_of_its_script_tag(app, client_as, published):
    evil = "</script><script>alert(1)</script><!-- & ' \" \u2028 -->"
    debunk_id = published(claim_reviewed=evil, explanation=evil)
    html = client_as().get(_url(app, debunk_id)).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert html.count("<script") == 1 and html.count("</script>") == 1
    [review] = _claim_reviews(html)
    assert review["claimReviewed"] == evil  # escaped, yet the same text once parsed


def test_no_reporter_data_reaches_the_public_page(app, client_as, published):
    name, email, phone = "Zhang Weiming", "zhang.weiming@example.com", "+86 138 0013 8000"
    claim = f"{name} here: my neighbour's Model Y burst into flames at 3am, video attached"
    debunk_id = published(report={
        "claim": claim, "explanation": f"I am {name}, call me on {phone}.",
        "contact_email": email, "contact_phone": phone, "contact_consent": True,
        "urls": ["https://weibo.com/5566/Xy?share_from=zhangweiming&ref=wx"]})
    with app.app_context():
        debunk = get_debunk(debunk_id)
        report = db.session.scalars(db.select(Report).where(
            Report.case_id == debunk.case_id)).one()
        code = report.tracking_code
        assert report.contact_email == email  # the report really has all of them
    for lang in ("zh", "en"):
        html = client_as(lang=lang).get(_url(app, debunk_id)).get_data(as_text=True)
        for secret in (name, "zhangweiming", email, phone, "138 0013 8000", code, claim,
                       "burst into flames"):
            assert secret not in html, (lang, secret)


def test_a_wrong_or_missing_slug_redirects_permanently(app, client_as, published):
    debunk_id = published()
    url = _url(app, debunk_id)
    client = client_as()
    for wrong in (f"/debunks/{debunk_id}-old-title", f"/debunks/{debunk_id}"):
        response = client.get(wrong)
        assert response.status_code == 301 and response.location == url


@pytest.mark.parametrize("path", ["/debunks/999999-x", "/debunks/999999",
                                  "/debunks/99999999999-x", "/debunks/%C2%B2-x"])
def test_unknown_debunks_are_not_found(client_as, path):
    response = client_as().get(path)
    assert response.status_code == 404
    assert "This page does not exist." in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [
    ("zh", ["虚假", "电池与充电安全", "核查说明", "引用来源", "审核组"]),
    ("en", ["False", "Battery", "What we found", "Sources cited", "Desk"]),
])
def test_the_page_in_both_languages(app, client_as, published, lang, words):
    debunk_id = published(explanation="消防部门确认视频拍摄于2021年。",
                          sources="https://example.org/statement")
    html = client_as(lang=lang).get(_url(app, debunk_id)).get_data(as_text=True)
    for word in words:
        assert word in html, word
    assert ('lang="zh-CN"' if lang == "zh" else '<html lang="en"') in html


def test_the_date_is_the_newsroom_s_day(app, client_as, published):
    # 17:30 UTC on 3 December is 01:30 on 4 December in Shanghai. The app that publishes is
    # the one pinned (a second app with the pin passed only while the real Shanghai date was
    # 4 December).
    app.config["CLOCK_NOW"] = datetime(2026, 12, 3, 17, 30)
    debunk_id = published()
    html = app.test_client().get(_url(app, debunk_id)).get_data(as_text=True)
    assert '<time datetime="2026-12-04">2026-12-04</time>' in html
    [review] = _claim_reviews(html)
    assert review["datePublished"] == "2026-12-04"


def test_the_status_page_links_the_reporter_to_the_debunk(app, client_as, decided_case,
                                                          published):
    debunk_id = published()
    with app.app_context():
        case_id = get_debunk(debunk_id).case_id
        code = db.session.scalars(db.select(Report.tracking_code).where(
            Report.case_id == case_id)).one()
    html = client_as().get(f"/status/{code}").get_data(as_text=True)
    assert 'id="debunk-link"' in html and _url(app, debunk_id) in html
    _case, other = decided_case()  # decided, not published: no link
    assert 'id="debunk-link"' not in client_as().get(f"/status/{other}").get_data(as_text=True)
