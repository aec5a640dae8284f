"""Operator call screen for the disinformation report hotline."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from intake.core.extensions import db
from intake.hotline import calls
from intake.hotline.forms import SCRIPT, CallForm, LookupForm
from intake.hotline.spelling import spell
from intake.reports.tracking import CodeError, parse_code
from intake.users.auth import role_required

bp = Blueprint("hotline", __name__, url_prefix="/staff")
OPERATORS = ("operator", "admin")


def _script() -> list[tuple[str, str]]:
    # Both languages at once: the operator reads whichever the caller speaks.
    with force_locale("zh"):
        zh = [str(question) for question in SCRIPT]
    with force_locale("en"):
        en = [str(question) for question in SCRIPT]
    return list(zip(zh, en, strict=True))


@bp.route("/hotline", methods=["GET", "POST"])
@role_required(*OPERATORS)
def call_screen():
    form = CallForm()
    if request.method == "GET":
        form.language.data = get_locale().language
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("hotline/call_screen.html", form=form, script=_script()), status
    call = form.to_call()
    try:
        report, _new = calls.submit_call(call, current_user._get_current_object(),
                                         ip=request.remote_addr)
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once: the other request stored it first.
        db.session.rollback()
        earlier = calls.find_call(call.call_id) if call.call_id else None
        if earlier is None:
            raise
        report = earlier
    return redirect(url_for("hotline.receipt", code=report.tracking_code), code=303)


@bp.get("/hotline/calls/<code>")
@role_required(*OPERATORS)
def receipt(code: str):
    try:
        report = calls.find_report(parse_code(code))
    except CodeError:
        abort(404)
    if report is None:
        abort(404)
    return render_template("hotline/receipt.html", report=report,
                           spelled=spell(report.tracking_code, report.language))


@bp.route("/hotline/lookup", methods=["GET", "POST"])
@role_required(*OPERATORS)
def lookup():
    # POST, not GET: a number in a query string would end up in access logs and history.
    form, found = LookupForm(), None
    if form.validate_on_submit():
        found = calls.reports_by_caller(form.caller_number.data or "")
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("hotline/lookup.html", form=form, found=found), status
