"""GET /staff/search: the search box on every staff page leads here."""

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.core.ids import parse_id
from intake.search import queries as search
from intake.triage.scoring import topic_label
from intake.users.auth import role_required

bp = Blueprint("search", __name__, url_prefix="/staff")


def _page_number() -> int:
    raw = request.args.get("page", "1").strip()
    number = parse_id(raw)
    if number is None or number < 1:
        abort(400, description=_("The page number must be a whole number from 1, not "
                                 "\"%(page)s\".", page=raw[:12]))
    return number


@bp.get("/search")
@role_required()
def search_page():
    user = current_user._get_current_object()
    query = search.parse_query(request.args.get("q", ""))
    number = _page_number()
    if query.problem == "too_long":
        abort(400, description=_("A search is at most %(max)d characters; shorten it.",
                                 max=search.MAX_CHARS))
    results = search.search(user, query, number)
    if number > results.pages:
        abort(400, description=_("There is no page %(page)d of results: pages go from 1 to "
                                 "%(last)d.", page=number, last=results.pages))
    language = get_locale().language
    return render_template(
        "search/search.html", q=request.args.get("q", ""), query=query, results=results,
        min_chars=search.MIN_CHARS, opens_cases=user.role in ("moderator", "admin"),
        topic=lambda key: topic_label(key, language) if key else _("Unscored"))
