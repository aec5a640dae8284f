"""The transparency page for staff, and its public twin when TRANSPARENCY_PUBLIC is on."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from intake.core.models import OUTCOMES
from intake.transparency import figures as transparency
from intake.users.auth import role_required

bp = Blueprint("transparency", __name__)

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _page(public: bool):
    default_first, default_last = transparency.default_range()
    first = request.args.get("from") or default_first
    last = request.args.get("to") or default_last
    try:
        months = transparency.month_range(first, last)
    except transparency.MonthError:
        return render_template(
            "transparency/figures.html", result=None, first=first[:20], last=last[:20],
            public=public, error=_("Pick the months as YYYY-MM, the first not after the last, "
                                   "at most %(n)d months.", n=transparency.MAX_MONTHS)), 400
    result = transparency.compute(months)
    return render_template("transparency/figures.html", result=result, first=months[0].key,
                           last=months[-1].key, public=public, error=None,
                           language_names=LANGUAGE_NAMES, outcomes=OUTCOMES)


@bp.get("/staff/transparency")
@role_required("moderator", "admin")
def staff_figures():
    return _page(public=False)


@bp.get("/transparency")
def public_figures():
    if not current_app.config["TRANSPARENCY_PUBLIC"]:
        abort(404)
    return _page(public=True)
