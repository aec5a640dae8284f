"""Staff side of appeals: decide the appeal of a case (upheld or reversed) from its page."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.appeals import operations as appeals
from intake.appeals.forms import AppealDecisionForm
from intake.cases import casework
from intake.core.extensions import db
from intake.users.auth import role_required

bp = Blueprint("appeals", __name__, url_prefix="/staff")
# How a refused appeal decision answers: the original decider is forbidden, a lost race or a
# missing claim is a conflict, anything else was bad input.
STATUS = {"own_decision": 403, "closed": 409, "claim": 409}


@bp.post("/cases/<int:case_id>/appeal")
@role_required(*casework.STAFF)
def decide(case_id: int):
    case = casework.case_or_abort(case_id)  # 404, or 403 for another desk
    form = AppealDecisionForm()
    if not form.validate_on_submit():
        return casework.render_case(case, status=400, appeal_form=form)
    try:
        appeal = appeals.decide_appeal(case, current_user._get_current_object(),
                                       form.result.data, form.new_outcome.data or None,
                                       form.public_note.data, ip=request.remote_addr)
    except appeals.AppealError as exc:
        db.session.rollback()
        return casework.render_case(casework.case_or_abort(case_id),
                                    status=STATUS.get(exc.kind, 400), appeal_form=form,
                                    appeal_problem=str(exc))
    db.session.commit()
    flash(_("The appeal on case %(id)d is decided: upheld.", id=case_id)
          if appeal.result == "upheld" else
          _("The appeal on case %(id)d is decided: reversed.", id=case_id), "success")
    return redirect(url_for("casework.case", case_id=case_id), code=303)
