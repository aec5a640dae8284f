"""Staff routes of debunk publishing: publish (or update) and withdraw from the case page."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from intake.cases import casework
from intake.cases.decision_forms import DecisionForm
from intake.core.extensions import db
from intake.core.models import Case
from intake.publishing import operations as publishing
from intake.publishing.forms import PublishForm, UnpublishForm, show_error
from intake.users.auth import role_required

bp = Blueprint("publishing", __name__, url_prefix="/staff")


def _decision_form(case: Case) -> DecisionForm:
    return DecisionForm(formdata=None).set_topics(get_locale().language, case.topic)


@bp.post("/cases/<int:case_id>/publish")
@role_required(*casework.STAFF)
def publish(case_id: int):
    case, form = casework.case_or_abort(case_id), PublishForm()
    if not form.validate_on_submit():
        return casework.render_case(case, _decision_form(case), 400, debunk_form=form)
    try:
        debunk = publishing.publish(case, casework._user(), form.claim_reviewed.data,
                                    form.explanation.data, form.sources.data,
                                    ip=request.remote_addr)
    except publishing.PublishError as exc:
        db.session.rollback()
        show_error(form, exc)
        return casework.render_case(casework.case_or_abort(case_id), _decision_form(case),
                                exc.status, debunk_form=form)
    db.session.commit()
    flash(_("Debunk published: %(url)s", url=url_for(
        "debunks.page", debunk_id=debunk.id, slug=debunk.slug)), "success")
    return redirect(url_for("casework.case", case_id=case_id, _anchor="debunk"), code=303)


@bp.post("/cases/<int:case_id>/unpublish")
@role_required(*casework.STAFF)
def unpublish(case_id: int):
    case, form = casework.case_or_abort(case_id), UnpublishForm()
    if not form.validate_on_submit():
        return casework.render_case(case, _decision_form(case), 400, unpublish_form=form)
    try:
        publishing.unpublish(case, casework._user(), reason=(form.reason.data or "").strip(),
                             ip=request.remote_addr)
    except publishing.PublishError as exc:
        db.session.rollback()
        form.reason.errors = [str(exc)]
        return casework.render_case(case, _decision_form(case), exc.status, unpublish_form=form)
    db.session.commit()
    flash(_("Debunk of case %(id)d withdrawn: its page now answers that it was withdrawn.",
            id=case_id), "success")
    return redirect(url_for("casework.case", case_id=case_id, _anchor="debunk"), code=303)
