"""Mail pages: a reporter stops mail about a report; admins watch and retry the outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.core.extensions import db
from intake.core.models import Report
from intake.notifications import delivery as mail_delivery
from intake.notifications import messages as notifications
from intake.notifications.models import STATUSES
from intake.users.auth import role_required

bp = Blueprint("notifications", __name__)


def _report_for(code: str, token: str) -> Report:
    if not notifications.token_matches(code, token):
        abort(404)  # a wrong or altered link: say nothing about the report
    report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).first()
    if report is None:
        abort(404)
    return report


@bp.route("/status/<code>/stop-mail/<token>", methods=["GET", "POST"])
def stop_mail(code: str, token: str):
    # GET only asks: mail scanners open links, and must not stop anyone's mail.
    report = _report_for(code, token)
    done = request.method == "POST"
    if done:
        notifications.stop_mail(report, ip=request.remote_addr)
        db.session.commit()
    response = render_template("notifications/stop_mail.html", code=code, token=token, done=done)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/staff/outbox")
@role_required("admin")
def outbox():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400, _("There is no status %(status)s. Pick one of the filters.",
                     status=status[:20]))
    return render_template("notifications/outbox.html", status=status, statuses=STATUSES,
                           counts=mail_delivery.counts(),
                           messages=mail_delivery.listing(status))


@bp.post("/staff/outbox/retry")
@role_required("admin")
def retry():
    raw = request.form.getlist("message_id")
    if not all(value.isdigit() and len(value) <= 18 for value in raw):
        abort(400, _("The message numbers are not valid. Reload the page and try again."))
    ids = [int(value) for value in raw] or None
    count = mail_delivery.retry(ids, current_user._get_current_object())
    db.session.commit()
    flash(_("%(n)d message(s) will be sent again.", n=count))
    return redirect(url_for("notifications.outbox", status="dead"), code=303)
