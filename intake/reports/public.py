"""Public pages: the report form, the receipt and the status lookup."""

from datetime import datetime, time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from intake.appeals import operations as appeals
from intake.appeals import status as appeal_status
from intake.appeals.forms import AppealForm
from intake.cases import statements
from intake.core.extensions import db, limiter
from intake.core.web import handle_http_error
from intake.publishing import pages as debunk_pages
from intake.reports.forms import ReportForm, StatusForm, split_urls
from intake.reports.operations import ReportInput, submit_report
from intake.reports.reporters import reporter_key
from intake.reports.status import status_for
from intake.reports.tracking import CodeError, parse_code

bp = Blueprint("public", __name__)


def _limit(key: str):
    return lambda: current_app.config[key]


@bp.get("/")
def index():
    return redirect(url_for("public.report"))


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_REPORT"), methods=["POST"])
def report():
    form = ReportForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        if request.method == "POST":
            form.ask_for_files_again()
        return render_template("reports/report.html", form=form), status
    if form.website.data:  # honeypot filled: a bot, store nothing
        abort(400, _("The form could not be accepted. Please try again without autofill."))
    report, _new = submit_report(_report_input(form), channel="web",
                                 upload_dir=current_app.config["UPLOAD_DIR"])
    db.session.commit()  # from here on the report is stored, its evidence files kept
    return redirect(url_for("public.receipt", code=report.tracking_code), code=303)


@bp.app_errorhandler(CSRFError)
def csrf_failed(exc: CSRFError):
    # An expired form keeps what the reporter typed; only the files must be chosen again.
    if request.endpoint != "public.report":
        return handle_http_error(exc)
    form = ReportForm(meta={"csrf": True})
    form.csrf_token.errors = [_("The form expired. Check your answers, choose any files "
                                "again and send it once more.")]
    return render_template("reports/report.html", form=form), 400


def _report_input(form: ReportForm) -> ReportInput:
    seen = form.seen_at.data
    return ReportInput(
        claim=(form.claim.data or "").strip(),
        explanation=(form.explanation.data or "").strip() or None,
        urls=split_urls(form.urls.data),
        platform=form.platform.data or None,
        # Noon UTC keeps the typed day the same in every zone from UTC-11 to UTC+11.
        seen_at=datetime.combine(seen, time(12)) if seen else None,
        contact_email=form.contact_email.data or None,
        contact_phone=form.contact_phone.data or None,
        contact_consent=form.contact_consent.data,
        good_faith=form.good_faith.data,
        uploads=getattr(form, "uploads", []),
        reporter_key=_reporter_key(form),
    )


def _reporter_key(form: ReportForm) -> str | None:
    # Contact only with consent to be contacted (otherwise it is not kept); else the address.
    consent = form.contact_consent.data
    return reporter_key(current_app.config["SECRET_KEY"], address=request.remote_addr,
                        email=form.contact_email.data if consent else None,
                        phone=form.contact_phone.data if consent else None)


@bp.get("/report/receipt/<code>")
def receipt(code: str):
    try:
        code = parse_code(code)
    except CodeError:
        abort(404)
    return render_template("reports/receipt.html", code=code)


@bp.get("/status")
@limiter.limit(_limit("RATELIMIT_STATUS"))
def status_lookup():
    form = StatusForm(request.args)
    if "code" not in request.args:
        return render_template("reports/status_lookup.html", form=form)
    if form.validate():
        try:
            return redirect(url_for("public.status", code=parse_code(form.code.data or "")))
        except CodeError as exc:
            form.code.errors = [_code_message(exc)]
    return render_template("reports/status_lookup.html", form=form), 400


@bp.get("/status/<code>")
@limiter.limit(_limit("RATELIMIT_STATUS"))
def status(code: str):
    form = StatusForm(data={"code": code})
    try:
        found = status_for(code)
    except CodeError as exc:
        form.code.errors = [_code_message(exc)]
        return render_template("reports/status_lookup.html", form=form), 400
    if found is None:
        form.code.errors = [_("No report has this tracking code. Check it and try again.")]
        return render_template("reports/status_lookup.html", form=form), 404
    return _status_page(found, AppealForm())


def _status_page(found, form: AppealForm, code: int = 200):
    report = appeal_status.report_for(found.tracking_code)
    if report is None:  # found was just read by this code: only a deletion in between
        abort(404)
    debunk = (debunk_pages.published_for_code(found.tracking_code)
              if found.status == "resolved" else None)
    return render_template("reports/status.html", status=found, appeal_form=form,
                           appeal=appeal_status.options_for(report),
                           reasons=statements.reasons_for(found), debunk=debunk), code


@bp.route("/status/<code>/appeal", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_APPEAL"), methods=["POST"])
def appeal(code: str):
    try:
        report = appeal_status.report_for(code)
    except CodeError:
        abort(404)
    if report is None:
        abort(404)
    here = url_for(".status", code=report.tracking_code)
    if request.method == "GET":  # the link in the decision mail
        return redirect(f"{here}#appeal", code=303)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            appeals.file_appeal(report, form.reason.data or "", ip=request.remote_addr)
        except appeals.AppealError as exc:
            db.session.rollback()
            if exc.kind != "open":
                form.reason.errors = [str(exc)]
                return _status_page(status_for(report.tracking_code), form,
                                    400 if exc.kind == "reason" else 409)
            flash(str(exc), "info")  # someone else appealed first: say so, not an error
        else:
            db.session.commit()
            flash(_("Your appeal was received. A moderator who did not take the first "
                    "decision will review the case; this page will show the result."),
                  "success")
        return redirect(f"{here}#appeal", code=303)
    return _status_page(status_for(report.tracking_code), form, 400)


def _code_message(exc: CodeError) -> str:
    if str(exc) == "checksum":
        return _("This code contains a typo: one character is wrong or two are swapped.")
    return _("A tracking code looks like RD-7K3M-9QX1.")


@bp.get("/lang/<lang>")
def set_language(lang: str):
    target = request.args.get("next", "")
    # Only local paths: never an open redirect. Browsers drop tabs and newlines and read
    # "\\" as "/", so "/\t/evil.example" would leave the site; control characters also
    # cannot go into a Location header.
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or not target.isprintable()):
        target = url_for("public.report")
    response = make_response(redirect(target))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
