"""Case page: reports, evidence, model reasons, history; decide, bulk decide, reopen."""

from urllib.parse import parse_qsl, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from intake.appeals import operations as appeals
from intake.appeals.forms import AppealDecisionForm
from intake.cases import decisions, moderation
from intake.cases import details as case_details
from intake.cases.decision_forms import (
    OUTCOME_LABELS,
    BulkDecisionForm,
    DecisionForm,
    DeskMoveForm,
    ReopenForm,
)
from intake.core.extensions import db
from intake.core.ids import parse_id
from intake.core.models import OPEN_STATUSES, Case
from intake.misuse import views as misuse_views
from intake.publishing import forms as publishing_forms
from intake.publishing import operations as publishing
from intake.reports.evidence import download_name
from intake.reports.thumbnails import TYPES as THUMBNAIL_TYPES
from intake.triage.scoring import topic_label
from intake.users.auth import local_path, role_required
from intake.users.permissions import may_work

bp = Blueprint("casework", __name__, url_prefix="/staff")
STAFF = ("moderator", "admin")  # operators log calls; they do not see or decide cases
MAX_BULK = 100


def _user():
    return current_user._get_current_object()


def case_or_abort(case_id: int) -> Case:
    case = case_details.load_case(case_id)
    if case is None:
        abort(404)
    if not may_work(_user(), case.topic):  # another desk; unrouted cases: any moderator
        abort(403)
    return case


def _page(case: Case) -> int:
    raw, last = request.args.get("page", "1").strip(), case_details.page_count(case)
    number = parse_id(raw)
    if number is None or not 1 <= number <= last:
        abort(400, description=_("There is no page %(page)s of reports: pages go from 1 to "
                                 "%(last)d.", page=raw[:12], last=last))
    return number


def render_case(case: Case, form: DecisionForm | None = None, status: int = 200,
                reopen_form: ReopenForm | None = None, appeal_form=None,
                appeal_problem: str | None = None, move_form: DeskMoveForm | None = None,
                **debunk_forms):
    """Render the case page; the forms given keep what was typed and their errors."""
    language = get_locale().language
    form = form or DecisionForm().set_topics(language, case.topic)
    page = _page(case)
    decided = case_details.decisions_of(case)
    appealed = appeals.appeals_of(case.id)
    reports = case_details.reports_page(case, page)
    names = case_details.usernames({case.claimed_by_id, case.decided_by_id,
                                    *(d.decided_by_id for d in decided),
                                    *(a.decided_by_id for a in appealed),
                                    *(a.original_decider_id for a in appealed)})
    return render_template(
        "cases/case.html", case=case, form=form, reopen_form=reopen_form or ReopenForm(),
        move_form=move_form or DeskMoveForm().for_case(language, case.topic),
        reports=reports, page=page, misuse_marks=misuse_views.marks(reports),
        pages=case_details.page_count(case),
        suggestion=decisions.suggestion_for(case), decisions=decided, names=names,
        similar=case_details.similar_resolved(case), history=case_details.history(case),
        handles=case_details.handles(case, _user()),
        holds_claim=case_details.holds_claim(case, _user()),
        claimed=case_details.claim_is_live(case),
        outcomes=OUTCOME_LABELS, topic=lambda key: topic_label(key, language) if key else "",
        open_statuses=OPEN_STATUSES, appeals=appealed, appeal_problem=appeal_problem,
        appeal_form=appeal_form or AppealDecisionForm(),
        appeal_reports=case_details.codes_of({a.report_id for a in appealed}),
        thumbnail_types=THUMBNAIL_TYPES, **publishing_forms.case_context(case, **debunk_forms),
    ), status


@bp.get("/cases/<int:case_id>")
@role_required(*STAFF)
def case(case_id: int):
    case = case_or_abort(case_id)
    return render_case(case, DecisionForm().set_topics(get_locale().language, case.topic))


@bp.post("/cases/<int:case_id>/decide")
@role_required(*STAFF)
def decide(case_id: int):
    case = case_or_abort(case_id)
    form = DecisionForm().set_topics(get_locale().language, case.topic)
    # "Publish a debunk" may be ticked with the decision; the decide form's token covers it.
    debunk_form = publishing_forms.PublishForm(meta={"csrf": False})
    valid = form.validate_on_submit()
    if not (debunk_form.validate() and valid and publishing_forms.precheck(
            debunk_form, form.outcome.data, form.any_public_note())):
        return render_case(case, form, 400, debunk_form=debunk_form)
    try:
        decisions.decide(case, _user(), form.outcome.data, form.final_topic.data,
                         form.public_note.data, form.internal_note.data, ip=request.remote_addr,
                         public_note_en=form.public_note_en.data)
    except decisions.DecisionError as exc:
        db.session.rollback()
        form.outcome.errors = [str(exc)]
        return render_case(case_or_abort(case_id), form, 409, debunk_form=debunk_form)
    db.session.commit()  # the decision stands whatever becomes of the debunk
    flash(_("Case %(id)d decided: %(outcome)s.", id=case_id,
            outcome=OUTCOME_LABELS[form.outcome.data]), "success")
    if debunk_form.ticked():
        _publish_decided(case_or_abort(case_id), debunk_form)
    return redirect(url_for(".case", case_id=case_id), code=303)


def _publish_decided(case: Case, form: publishing_forms.PublishForm) -> None:
    """Publish the debunk asked for with a decision, which is committed whatever happens."""
    try:
        debunk = publishing.publish(case, _user(), form.claim_reviewed.data,
                                    form.explanation.data, form.sources.data,
                                    ip=request.remote_addr)
        db.session.commit()
    except publishing.PublishError as exc:  # checked before deciding: only a race is left
        db.session.rollback()
        flash(_("The debunk was not published: %(why)s", why=str(exc)), "error")
    else:
        flash(_("Debunk published: %(url)s", url=url_for(
            "debunks.page", debunk_id=debunk.id, slug=debunk.slug)), "success")


def _case_ids() -> tuple[list[int], str | None]:
    """Return the ticked case numbers and, when they cannot be decided, what to fix."""
    raw = request.form.getlist("case_id")
    if not raw:
        return [], _("Select at least one case to decide: tick the boxes in the first column.")
    parsed = [parse_id(value) for value in raw]
    ids = [case_id for case_id in parsed if case_id is not None]
    if len(ids) < len(parsed):
        return [], _("The selected cases are not valid case numbers. "
                     "Reload the queue and select them again.")
    if len(ids) > MAX_BULK:
        return ids, _("Select at most %(n)d cases at once.", n=MAX_BULK)
    return ids, None


def _refuse_bulk(form: BulkDecisionForm, case_ids: list[int], problem: str | None):
    """Show the queue again with the errors on top and the ticks, outcome and notes kept."""
    errors = [("queue-rows", problem)] if problem else []
    targets = {"outcome": "bulk-outcome", "public_note": "bulk-public-note",
               "internal_note": "bulk-internal-note"}
    errors += [(targets.get(name, "bulk-decide"), str(e)) for name, field_errors in
               form.errors.items() for e in field_errors]
    target = local_path(request.form.get("next")) or url_for("moderation.queue")
    kept = {"errors": errors, "case_ids": set(case_ids), "outcome": form.outcome.data,
            "public_note": form.public_note.data or "",
            "internal_note": form.internal_note.data or ""}
    return moderation.render_queue(MultiDict(parse_qsl(urlsplit(target).query)), target,
                                   kept, 400)


@bp.post("/cases/bulk-decide")
@role_required(*STAFF)
def bulk_decide():
    (case_ids, problem), form = _case_ids(), BulkDecisionForm()
    if not form.validate_on_submit() or problem:
        return _refuse_bulk(form, case_ids, problem)
    user = _user()

    def refuse(case: Case) -> str | None:
        if may_work(user, case.topic):
            return None
        return _("Case %(id)d belongs to a desk you are not on.", id=case.id)

    results = []
    for result in decisions.decide_each(case_ids, user, form.outcome.data,
                                        form.public_note.data, form.internal_note.data,
                                        may_decide=refuse, ip=request.remote_addr):
        db.session.commit() if result.decision else db.session.rollback()  # case by case
        results.append(result)
    status = 200 if any(r.decision for r in results) else 409
    return render_template("cases/bulk_result.html", results=results,
                           outcome=OUTCOME_LABELS[form.outcome.data]), status


@bp.post("/cases/<int:case_id>/reopen")
@role_required(*STAFF)
def reopen(case_id: int):
    case, form = case_or_abort(case_id), ReopenForm()
    if not form.validate_on_submit():
        return render_case(case, DecisionForm().set_topics(get_locale().language, case.topic),
                       400, reopen_form=form)
    try:
        decisions.reopen(case, _user(), reason=(form.reason.data or "").strip(),
                         ip=request.remote_addr)
    except decisions.DecisionError as exc:
        db.session.rollback()
        return render_template("core/error.html", message=str(exc), code=409), 409
    db.session.commit()
    flash(_("Case %(id)d reopened.", id=case_id), "success")
    return redirect(url_for(".case", case_id=case_id), code=303)


def attachment_or_abort(attachment_id: int):
    """The attachment, if it exists and the user works the desk of its case (as for the case)."""
    attachment = case_details.get_attachment(attachment_id)
    if attachment is None:
        abort(404)
    if not may_work(_user(), attachment.report.case.topic):
        abort(403)
    return attachment


@bp.get("/evidence/<int:attachment_id>")
@role_required(*STAFF)
def evidence(attachment_id: int):
    attachment = attachment_or_abort(attachment_id)
    response = send_from_directory(  # a missing file is a 404 before anything is recorded
        current_app.config["UPLOAD_DIR"], attachment.stored_name, as_attachment=True,
        download_name=download_name(attachment.original_name, attachment.content_type),
        mimetype=attachment.content_type,
        max_age=0)
    case_details.record_download(attachment, _user(), ip=request.remote_addr)
    db.session.commit()
    response.headers["Cache-Control"] = "private, no-store"
    return response
