"""Desk dashboard with SLA figures and the audit trail browser."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.audit import trail as audit
from intake.core.clock import local_midnight
from intake.core.ids import parse_id
from intake.core.models import utcnow
from intake.oversight import desk_stats
from intake.triage.scoring import TOPICS, topic_label
from intake.users import accounts as users
from intake.users.auth import role_required
from intake.users.forms import AuditFilterForm
from intake.users.permissions import desks_for, may_work

bp = Blueprint("oversight", __name__, url_prefix="/staff")


@bp.get("/dashboard")
@role_required("moderator", "admin")
def dashboard():
    user, desk = current_user._get_current_object(), request.args.get("desk") or None
    if desk is not None and desk not in TOPICS:
        abort(400, _("There is no desk %(desk)s. Pick a desk from the table.", desk=desk[:40]))
    if desk is not None and not may_work(user, desk):
        abort(403)
    scope = None if user.role == "admin" else list(desks_for(user))
    now = utcnow()
    rows = desk_stats.desk_figures(scope, now)
    language = get_locale().language
    return render_template(
        "oversight/dashboard.html", rows=rows, desk=desk, now=now,
        total=desk_stats.total_figures(rows, scope, now),
        days=desk_stats.last_days([desk] if desk else scope, now),
        appeals=desk_stats.appeal_figures(
            [desk] if desk else scope,
            local_midnight(now) - timedelta(days=desk_stats.CHART_DAYS - 1)),
        labels={key: topic_label(key, language) for key in TOPICS},
        unstaffed=[topic_label(key, language) for key in users.unstaffed_desks()]
        if user.role == "admin" else [],
    )


@bp.get("/audit")
@role_required("admin")
def audit_trail():
    form = AuditFilterForm(formdata=request.args)
    older = request.args.get("older_than") or None
    if older is not None and parse_id(older) is None:
        abort(400, _("The page link is broken: older_than must be an event number."))
    if request.args and not form.validate():
        return render_template("oversight/audit.html", form=form, page=None), 400
    page = audit.browse(form.to_filter(), older_than=parse_id(older),
                        limit=current_app.config["AUDIT_PAGE_SIZE"])
    filters = {name: value for name, value in request.args.items()
               if name != "older_than" and value}
    return render_template("oversight/audit.html", form=form, page=page, filters=filters,
                           paged=older is not None)
