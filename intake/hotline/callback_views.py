"""The operators' call-back list: callers to ring back with the verdict, and a script."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.core.extensions import db
from intake.hotline import callbacks
from intake.hotline.spelling import spell
from intake.notifications.messages import OUTCOME_LABELS
from intake.users.auth import role_required

bp = Blueprint("callbacks", __name__, url_prefix="/staff")


def _script(due: callbacks.Due) -> list[str]:
    # In the caller's language, whatever language the operator's screen is in.
    language = due.report.language if due.report.language in ("zh", "en") else "zh"
    code, cb = due.report.tracking_code, due.callback
    with force_locale(language):
        lines = [_("Hello, this is the Report Desk disinformation hotline calling back about "
                   "the report you made. Your tracking code is %(code)s.", code=code),
                 _("Our moderators have reviewed it. The outcome is: %(outcome)s.",
                   outcome=OUTCOME_LABELS.get(cb.outcome, cb.outcome))]
        if cb.public_note:
            lines.append(_("What we found: %(note)s", note=cb.public_note))
        lines.append(_("A person made this decision. You can follow the report on our website "
                       "with your tracking code. Thank you for reporting."))
    return lines


@bp.get("/callbacks")
@role_required("operator")  # the callers' numbers: operators only
def callback_list():
    rows = [(due, _script(due), spell(due.report.tracking_code, due.report.language))
            for due in callbacks.due()]
    return (render_template("hotline/callbacks.html", rows=rows), 200,
            {"Cache-Control": "no-store"})


@bp.post("/callbacks/<code>/done")
@role_required("operator")
def done(code: str):
    try:
        callbacks.mark_done(code, current_user._get_current_object(), ip=request.remote_addr)
    except callbacks.CallbackError as exc:
        abort(400, str(exc))
    db.session.commit()
    return redirect(url_for("callbacks.callback_list"), code=303)
