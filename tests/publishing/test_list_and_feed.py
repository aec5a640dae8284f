"""The debunk list (search, pages), the Atom feed and the sitemap."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, utcnow
from intake.publishing import operations as publishing
from intake.publishing.models import Debunk
from intake.users.models import User

from .conftest import EN, user


@pytest.fixture
def many(app, mona):
    """Publish n debunks straight through the service, one minute apart; returns their ids."""

    def make(claims: list[str], explanation: str = "Checked with the fire brigade.") -> list[int]:
        ids, start = [], utcnow() - timedelta(days=1)
        with app.test_request_context(headers=EN):
            moderator: User = user(mona)
            for i, claim in enumerate(claims):
                at = start + timedelta(minutes=i)
                case = Case(status="resolved", topic="battery-safety", outcome="misleading",
                            decided_at=at, public_note=explanation, report_count=0)
                db.session.add(case)
                db.session.flush()
                db.session.add(Decision(case_id=case.id, decided_at=at, outcome="misleading",
                                        final_topic="battery-safety"))
                debunk = publishing.publish(case, moderator, claim)
                debunk.published_at = debunk.updated_at = at
                ids.append(debunk.id)
            db.session.commit()
        return ids

    return make


def _listed(html: str) -> int:
    return html.count('<span class="verdict verdict-')


def test_the_list_is_newest_first_with_pages(client_as, many):
    ids = many([f"Claim number {i}" for i in range(25)])
    client = client_as()
    first = client.get("/debunks").get_data(as_text=True)
    assert _listed(first) == 20 and "25 debunks" in first and "page 1 of 2" in first
    assert first.index("Claim number 24") < first.index("Claim number 23")
    assert 'href="/debunks?page=2"' in first
    second = client.get("/debunks?page=2").get_data(as_text=True)
    assert _listed(second) == 5 and "Claim number 0<" in second
    assert f'href="/debunks/{ids[0]}-claim-number-0"' in second


@pytest.mark.parametrize("query, found", [
    ("garage", ["A parked EV burned in a garage"]),
    ("GARAGE", ["A parked EV burned in a garage"]),
    ("电池", ["网传某品牌电池召回"]),
    ("Fire Brigade", ["A parked EV burned in a garage", "网传某品牌电池召回",  # explanations
                      "Subsidy cut by 100% next year"]),
    ("100%", ["Subsidy cut by 100% next year"]),  # LIKE wildcards are taken literally
    ("_", []),
])
def test_search_in_claims_and_explanations_in_both_languages(client_as, many, query, found):
    many(["A parked EV burned in a garage", "网传某品牌电池召回",
          "Subsidy cut by 100% next year"])
    html = client_as().get("/debunks", query_string={"q": query}).get_data(as_text=True)
    assert _listed(html) == len(found)
    for claim in found:
        assert claim in html
    if not found:
        assert 'id="empty"' in html and "No debunk matches" in html


def test_the_empty_list_says_so(client_as):
    html = client_as(lang="zh").get("/debunks").get_data(as_text=True)
    assert "核查组尚未发布任何辟谣。" in html


@pytest.mark.parametrize("query, status, message", [
    ({"page": "0"}, 400, "pages are numbered from 1"),
    ({"page": "x"}, 400, "pages are numbered from 1"),
    ({"page": "99999999999"}, 400, "pages are numbered from 1"),
    ({"page": "3"}, 404, "This page does not exist."),
    ({"q": "x" * 201}, 400, "at most 200 characters"),
])
def test_bad_list_requests(client_as, query, status, message):
    response = client_as().get("/debunks", query_string=query)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_the_search_box_escapes_the_query(client_as):
    html = client_as().get("/debunks", query_string={"q": "<img src=x onerror=1>"}
                           ).get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=1&gt;" in html


def test_withdrawn_debunks_leave_the_list_feed_and_sitemap(app, client_as, many, mona):
    kept, gone = many(["Kept claim", "Withdrawn claim"])
    with app.test_request_context(headers=EN):
        case = db.session.get(Debunk, gone).case
        publishing.unpublish(case, user(mona), reason="test")
        db.session.commit()
    client = client_as()
    for path in ("/debunks", "/debunks/feed.atom", "/sitemap.xml"):
        body = client.get(path).get_data(as_text=True)
        assert "Kept claim" in body or f"/debunks/{kept}-" in body
        assert "Withdrawn claim" not in body and f"/debunks/{gone}-" not in body


def test_the_atom_feed_parses_and_has_the_entries(client_as, many):
    ids = many(["Oldest claim", "Middle claim", "A <b>newest</b> claim & more"])
    response = client_as().get("/debunks/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Report Desk debunks"
    assert [e.title for e in feed.entries] == [
        "A <b>newest</b> claim & more", "Middle claim", "Oldest claim"]
    newest = feed.entries[0]
    assert newest.link == f"http://localhost/debunks/{ids[2]}-a-b-newest-b-claim-more"
    assert newest.id == newest.link
    assert newest.summary.startswith("Misleading: Checked with the fire brigade.")
    assert newest.published_parsed and newest.updated_parsed
    assert feed.feed.author == "Report Desk"
    assert any(link.rel == "self" and link.href == "http://localhost/debunks/feed.atom"
               for link in feed.feed.links)


def test_an_empty_feed_is_still_valid(client_as):
    feed = feedparser.parse(client_as().get("/debunks/feed.atom").data)
    assert not feed.bozo and feed.version == "atom10" and feed.entries == []


def test_the_sitemap_lists_the_public_pages(app_factory, many):
    app = app_factory(PUBLIC_URL="https://desk.example.org")
    ids = many(["First claim", "Second claim"])
    response = app.test_client().get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.data)
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert locs[:2] == ["https://desk.example.org/report", "https://desk.example.org/debunks"]
    assert set(locs[2:]) == {f"https://desk.example.org/debunks/{ids[0]}-first-claim",
                             f"https://desk.example.org/debunks/{ids[1]}-second-claim"}
    assert len(root.findall("s:url/s:lastmod", ns)) == 2
