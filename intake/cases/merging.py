"""Merge cases and move a report out of its case (moderators of the desk, admins)."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from intake.cases.merge_preview import preview_merge
from intake.clustering import merge as case_merge
from intake.clustering import operations as clustering
from intake.core.extensions import db
from intake.core.ids import parse_id
from intake.core.models import Case
from intake.users.auth import role_required
from intake.users.permissions import may_work

bp = Blueprint("merging", __name__, url_prefix="/staff")
STAFF = ("moderator", "admin")


def _reasons() -> dict[str, str]:
    return {
        "same_case": _("A case cannot be merged into itself: give the number of another case."),
        "closed": _("Only open cases can be merged or split: this case is decided or merged."),
        "only_report": _("This is the only report of its case: there is nothing to move it "
                         "out of."),
    }


def _case_page(case_id: int):
    return redirect(url_for("casework.case", case_id=case_id), code=303)


def _allowed_case(case: Case | None) -> Case:
    if case is None:
        abort(404)
    if not may_work(current_user, case.topic):
        abort(403)
    return case


@bp.post("/cases/<int:case_id>/merge")
@role_required(*STAFF)
def merge(case_id: int):
    source = _allowed_case(clustering.case_by_id(case_id))
    into = (request.form.get("into") or "").strip().removeprefix("#")
    number = parse_id(into)
    if number is None:
        abort(400, _("Give the number of the case to merge this one into, such as 42."))
    target = clustering.case_by_id(number)
    if target is None:
        abort(400, _("There is no case number %(id)s: check the number.", id=into))
    _allowed_case(target)
    user = current_user._get_current_object()
    preview = preview_merge(source, target, user)
    if preview.problem:
        abort(400, _reasons()[preview.problem])
    allowed = preview.allowed_for(user)
    # Nothing merges before the moderator has seen both cases side by side and confirmed.
    if not allowed or request.form.get("confirm") != "yes":
        return render_template("cases/merge_preview.html", preview=preview, allowed=allowed,
                               admin=user.role == "admin"), 200 if allowed else 409
    try:
        case_merge.merge_cases(target, source, user, ip=request.remote_addr)
    except case_merge.ClusterError as exc:
        abort(400, _reasons()[exc.reason])
    db.session.commit()
    flash(_("Case %(source)d was merged into case %(target)d.", source=case_id, target=target.id))
    return _case_page(target.id)


@bp.post("/reports/<int:report_id>/move-out")
@role_required(*STAFF)
def move_out(report_id: int):
    report = clustering.report_by_id(report_id)
    if report is None:
        abort(404)
    old = _allowed_case(report.case)
    try:
        new = case_merge.move_report_out(report, current_user._get_current_object(),
                                         ip=request.remote_addr)
    except case_merge.ClusterError as exc:
        abort(400, _reasons()[exc.reason])
    db.session.commit()
    flash(_("The report was moved out into a new case, number %(id)d.", id=new.id))
    return _case_page(old.id)
