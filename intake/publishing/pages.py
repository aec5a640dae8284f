"""The public side of debunks: find, search and page them; ClaimReview data; the Atom feed."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import func, or_

from intake.core.clock import to_local
from intake.core.extensions import db
from intake.core.links import TRACKING_PARAMS, is_valid_url, url_key
from intake.core.models import Report, ReportUrl, utcnow
from intake.publishing.models import Debunk

PAGE_SIZE = 20
MAX_QUERY = 200
MAX_APPEARANCES = 20
# ClaimReview's rating scale: 1 (false) .. 5 (accurate); alternateName carries the words.
RATINGS = {"false": 1, "misleading": 2, "accurate": 5}
BEST_RATING, WORST_RATING = 5, 1


@dataclass(frozen=True)
class DebunkPage:
    """One page of published debunks, newest first."""

    items: list[Debunk]
    total: int
    page: int
    pages: int


def _live():
    return db.select(Debunk).where(Debunk.published_at.is_not(None),
                                   Debunk.unpublished_at.is_(None))


def get(debunk_id: int) -> Debunk | None:
    """Return a debunk, published or withdrawn, or None."""
    return db.session.get(Debunk, debunk_id)


def search(query: str, page: int, size: int = PAGE_SIZE) -> DebunkPage:
    """Return the published debunks whose claim or explanation contains the query."""
    select = _live()
    if query:
        needle = query.lower()
        select = select.where(or_(
            func.lower(Debunk.claim_reviewed).contains(needle, autoescape=True),
            func.lower(Debunk.explanation).contains(needle, autoescape=True)))
    total = db.session.scalar(db.select(func.count()).select_from(select.subquery()))
    items = list(db.session.scalars(
        select.order_by(Debunk.published_at.desc(), Debunk.id.desc())
        .limit(size).offset((page - 1) * size)))
    return DebunkPage(items, total, page, max(1, math.ceil(total / size)))


def newest(limit: int) -> list[Debunk]:
    """Return the newest published debunks."""
    return list(db.session.scalars(
        _live().order_by(Debunk.published_at.desc(), Debunk.id.desc()).limit(limit)))


def published_for_code(code: str) -> Debunk | None:
    """Return the published debunk of the case a tracking code's report belongs to."""
    return db.session.scalar(
        _live().join(Report, Report.case_id == Debunk.case_id)
        .where(Report.tracking_code == code).limit(1))


def _public_url(url: str) -> str:
    """Return a reported link without credentials, share/tracking parameters or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")]
    return urlunsplit((parts.scheme, host, parts.path, urlencode(query), ""))


def appearances(case_id: int) -> list[str]:
    """Return where the reviewed claim appeared: the case's reported links, earliest first.

    Only the links: nothing about who reported them (share parameters are dropped too).
    """
    rows = db.session.execute(
        db.select(ReportUrl.url).join(Report, Report.id == ReportUrl.report_id)
        .where(Report.case_id == case_id)
        .order_by(Report.received_at, Report.id, ReportUrl.position)
        .limit(MAX_APPEARANCES * 5)).scalars()
    seen, links = set(), []
    for url in rows:
        if not is_valid_url(url) or url_key(url) in seen:
            continue
        seen.add(url_key(url))
        links.append(_public_url(url))
        if len(links) == MAX_APPEARANCES:
            break
    return links


def claim_review(debunk: Debunk, url: str, verdict_label: str, author: dict) -> dict:
    """Return the schema.org ClaimReview of a published debunk."""
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": debunk.claim_reviewed,
        # The newsroom's day; a debunk with a page is always published.
        "datePublished": to_local(debunk.published_at or debunk.updated_at).date().isoformat(),
        "author": {"@type": "Organization", **author},
        "reviewRating": {"@type": "Rating", "ratingValue": RATINGS[debunk.verdict],
                         "bestRating": BEST_RATING, "worstRating": WORST_RATING,
                         "alternateName": verdict_label},
    }
    seen = appearances(debunk.case_id)
    if seen:
        works = [{"@type": "CreativeWork", "url": link} for link in seen]
        review["itemReviewed"] = {"@type": "Claim", "appearance": works,
                                  "firstAppearance": works[0]}
    else:
        review["itemReviewed"] = {"@type": "Claim"}
    return review


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def atom_feed(debunks: list[Debunk], *, title: str, feed_url: str, list_url: str,
              page_url, language: str, author: dict, summary) -> bytes:
    """Return the Atom feed of the debunks (newest first) as UTF-8 XML.

    page_url(debunk) gives an entry's address, summary(debunk) its text.
    """
    # feedgen (with lxml) loads on the first feed a worker serves, not for every `flask` command.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.link(href=list_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language(language)
    feed.author(author)
    feed.updated(_aware(max((d.updated_at for d in debunks), default=utcnow())))
    for debunk in debunks:
        entry = feed.add_entry(order="append")
        entry.id(page_url(debunk))
        entry.title(debunk.claim_reviewed)
        entry.link(href=page_url(debunk), rel="alternate", type="text/html")
        entry.summary(summary(debunk))
        entry.published(_aware(debunk.published_at or debunk.updated_at))
        entry.updated(_aware(debunk.updated_at))
    return feed.atom_str(pretty=True)
