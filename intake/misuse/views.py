"""Admins suspend a reporter from the case page; every staff member sees who is suspended.

The page shows only a key's short prefix, never the contact or address it was made from.
"""

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.core.extensions import db
from intake.core.models import Report
from intake.misuse import suspensions
from intake.misuse import trust as misuse
from intake.partners.models import Partner
from intake.users.auth import role_required

bp = Blueprint("misuse", __name__, url_prefix="/staff")


def marks(reports: list[Report]) -> dict[int, str]:
    """Return, per report id on the page, "reporter_suspended", "partner_suspended" or
    "low_trust" (its source has enough recent spam decisions to cost points)."""
    config = current_app.config
    keys = {r.reporter_key for r in reports if r.reporter_key and not r.partner_id}
    ids = {r.partner_id for r in reports if r.partner_id}
    suspended = misuse.suspended_keys(keys)
    states = dict(db.session.execute(db.select(Partner.id, Partner.state)
                                     .where(Partner.id.in_(list(ids)))).all()) if ids else {}
    spammy = {k for k, n in misuse.spam_counts(Report.reporter_key, keys - suspended,
                                               config).items()
              if misuse.spam_penalty(n, config)}
    spammy |= {p for p, n in misuse.spam_counts(Report.partner_id, ids, config).items()
               if misuse.spam_penalty(n, config)}
    found = {}
    for r in reports:
        if r.partner_id and states.get(r.partner_id) == "suspended":
            found[r.id] = "partner_suspended"
        elif not r.partner_id and r.reporter_key in suspended:
            found[r.id] = "reporter_suspended"
        elif (r.partner_id or r.reporter_key) in spammy:
            found[r.id] = "low_trust"
    return found


@bp.post("/reports/<int:report_id>/suspend-reporter")
@role_required("admin")
def suspend_reporter(report_id: int):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    if report.partner_id or not report.reporter_key:
        abort(400, _("This report has no reporter of its own to suspend: a partner's report "
                     "answers to the partner (flask partners suspend)."))
    if not request.form.get("confirm"):
        abort(400, _("Tick the box to confirm the suspension, then suspend again."))
    reason = request.form.get("reason", "").strip()
    if not 1 <= len(reason) <= suspensions.MAX_REASON:
        abort(400, _("Say why the reporter is suspended, in 1 to %(max)d characters.",
                     max=suspensions.MAX_REASON))
    if suspensions.find(report.reporter_key) is not None:
        abort(409, _("This reporter is suspended already."))
    suspensions.suspend(report.reporter_key, reason, current_user._get_current_object())
    db.session.commit()
    flash(_("Reporter %(key)s… suspended: their reports are still stored, marked, and rank "
            "last.", key=suspensions.shown(report.reporter_key)), "success")
    return redirect(url_for("casework.case", case_id=report.case_id) + f"#report-{report.id}",
                    code=303)
