"""Public debunk pages: the list with search, one debunk with ClaimReview, the feed, sitemap."""

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from intake.core.ids import parse_id
from intake.core.labels import label
from intake.publishing import pages as debunk_pages
from intake.publishing.models import Debunk
from intake.triage.scoring import topic_label

bp = Blueprint("debunks", __name__)
FEED_SIZE = 50
SITEMAP_SIZE = 50000  # the most URLs one sitemap file may hold


def absolute(endpoint: str, **values) -> str:
    """Return the canonical address of a page: on PUBLIC_URL when set, else the request's host."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _page_url(debunk: Debunk) -> str:
    return absolute("debunks.page", debunk_id=debunk.id, slug=debunk.slug)


def _author() -> dict:
    config = current_app.config
    site = config.get("PUBLIC_URL") or request.url_root
    return {"name": config["NEWSROOM_NAME"], "url": config.get("NEWSROOM_URL") or site}


@bp.get("/debunks")
def index():
    query = request.args.get("q", "").strip()
    if len(query) > debunk_pages.MAX_QUERY:
        abort(400, description=_("Search for at most %(n)d characters.",
                                 n=debunk_pages.MAX_QUERY))
    raw = request.args.get("page", "1")
    number = parse_id(raw)
    if number is None or number < 1:
        abort(400, description=_("There is no page %(page)s: pages are numbered from 1.",
                                 page=raw[:12]))
    found = debunk_pages.search(query, number)
    if number > found.pages:
        abort(404)
    return render_template("publishing/list.html", found=found, query=query,
                           desk=lambda key: topic_label(key, get_locale().language))


@bp.get("/debunks/<int:debunk_id>")
@bp.get("/debunks/<int:debunk_id>-<slug>")
def page(debunk_id: int, slug: str | None = None):
    debunk = debunk_pages.get(debunk_id)
    if debunk is None or debunk.published_at is None:
        abort(404)
    if debunk.unpublished_at is not None:
        return render_template("core/error.html", code=410, message=_(
            "This debunk was withdrawn by the desk.")), 410
    if slug != debunk.slug:
        return redirect(url_for(".page", debunk_id=debunk.id, slug=debunk.slug), code=301)
    verdict = label("outcome", debunk.verdict)
    url = _page_url(debunk)
    review = debunk_pages.claim_review(debunk, url, verdict, _author())
    return render_template("publishing/debunk.html", debunk=debunk, verdict=verdict,
                           canonical=url, claim_review=review,
                           desk=topic_label(debunk.topic, get_locale().language))


@bp.get("/debunks/feed.atom")
def feed():
    body = debunk_pages.atom_feed(
        debunk_pages.newest(FEED_SIZE), title=_("Report Desk debunks"),
        feed_url=absolute("debunks.feed"), list_url=absolute("debunks.index"),
        page_url=_page_url, language=get_locale().language,
        author={"name": current_app.config["NEWSROOM_NAME"], "uri": _author()["url"]},
        summary=lambda d: f"{label('outcome', d.verdict)}: {d.explanation}")
    return Response(body, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap():
    pages: list[tuple[str, datetime | None]] = [(absolute("public.report"), None),
                                                 (absolute("debunks.index"), None)]
    pages += [(_page_url(d), d.updated_at) for d in debunk_pages.newest(SITEMAP_SIZE)]
    return Response(render_template("publishing/sitemap.xml", pages=pages),
                    mimetype="application/xml")
