"""Case page: move a case to another desk without deciding it (intake/cases/desk_moves.py)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.cases import casework, desk_moves
from intake.cases.decision_forms import DecisionForm, DeskMoveForm
from intake.core.extensions import db
from intake.triage.scoring import topic_label
from intake.users.auth import role_required
from intake.users.permissions import may_work

bp = Blueprint("desk_moves", __name__, url_prefix="/staff")


@bp.post("/cases/<int:case_id>/move-desk")
@role_required(*casework.STAFF)
def move(case_id: int):
    case, user = casework.case_or_abort(case_id), current_user._get_current_object()
    language = get_locale().language
    form = DeskMoveForm().for_case(language, case.topic)

    def refuse(status: int):
        """Show the case again, the move's errors on top and what was typed kept."""
        return casework.render_case(case, DecisionForm().set_topics(language, case.topic),
                                    status, move_form=form)

    if not form.validate_on_submit():
        return refuse(400)
    try:
        result = desk_moves.move_case(case, user, form.desk.data, form.reason.data or "",
                                      ip=request.remote_addr)
    except desk_moves.MoveError as exc:  # refused before anything changed
        form.desk.errors = [*form.desk.errors, str(exc)]
        return refuse(exc.status)
    db.session.commit()
    desk = topic_label(form.desk.data, language)
    flash(_("Case %(id)d moved to the %(desk)s desk.", id=case_id, desk=desk), "success")
    if not may_work(user, form.desk.data):  # the mover lost sight of it: back to work
        flash(_("You are not on that desk, so the case left your queue."), "success")
        return redirect(url_for("moderation.queue"), code=303)
    if result.released:
        flash(_("The claim was let go: its holder is not on the new desk."), "success")
    return redirect(url_for("casework.case", case_id=case_id), code=303)
