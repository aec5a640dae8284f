"""The case page's "apply the matched verdict" action (claim matching, see operations.py)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from intake.cases import decisions
from intake.cases import details as case_details
from intake.cases.decision_forms import OUTCOME_LABELS
from intake.core.extensions import db
from intake.matching import decisions as match_decisions
from intake.users.auth import role_required
from intake.users.permissions import may_work

bp = Blueprint("matching", __name__, url_prefix="/staff")
MAX_ID = 2**31 - 1


@bp.post("/cases/<int:case_id>/apply-match")
@role_required("moderator", "admin")
def apply_match(case_id: int):
    case = case_details.load_case(case_id) if case_id <= MAX_ID else None
    if case is None:
        abort(404)
    user = current_user._get_current_object()
    if not may_work(user, case.topic):
        abort(403)
    if not FlaskForm().validate_on_submit():  # the CSRF token
        abort(400, description=_("The form expired. Reload the case page and try again."))
    try:
        match_decisions.apply_verdict(case, user, ip=request.remote_addr)
    except decisions.DecisionError as exc:
        db.session.rollback()
        return render_template("core/error.html", message=str(exc), code=409), 409
    db.session.commit()
    flash(_("Case %(id)d decided: %(outcome)s, as case %(source)d.", id=case_id,
            outcome=OUTCOME_LABELS.get(case.outcome or "", case.outcome or ""),
            source=case.match_case_id), "success")
    return redirect(url_for("casework.case", case_id=case_id), code=303)


@bp.app_template_global()
def match_note(case_id: int, outcome: str | None, decided_at) -> tuple[str, str]:
    """Return ("Matches #12", ", decided false on 2026-11-20"): the link text and the rest."""
    label = str(OUTCOME_LABELS.get(outcome or "", outcome or "?"))
    day = decided_at.strftime("%Y-%m-%d") if decided_at else "?"
    return (_("Matches #%(id)d", id=case_id),
            _(", decided %(outcome)s on %(date)s (UTC)", outcome=label, date=day))


@bp.app_template_global()
def matched_case(case_id: int):
    """Return the matched case (its public note is shown beside the apply button)."""
    return case_details.load_case(case_id)
