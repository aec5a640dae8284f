"""Public JSON API for partners' "report this" buttons."""

import hashlib
import json

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from intake.core.extensions import csrf, db, limiter
from intake.partners import operations as partners
from intake.partners.api import current_partner, limit_for, limit_key, missing_key, unauthorized
from intake.partners.operations import AuthError
from intake.reports.operations import IdempotencyConflict, submit_report
from intake.reports.reporters import reporter_key
from intake.reports.status import PublicStatus, public_status, status_for
from intake.reports.tracking import CodeError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are used here, so there is no session to forge


MAX_PER_PAGE = 100


def error(message: str, status: int, fields: dict | None = None):
    return jsonify({"error": message, "fields": fields or {}}), status


def _status_json(found: PublicStatus) -> dict:
    return {
        "tracking_code": found.tracking_code,
        "status": found.status,
        "received_at": found.received_at.isoformat() + "Z",
        "outcome": found.outcome,
        "public_note": found.public_note,
        "decided_at": found.decided_at.isoformat() + "Z" if found.decided_at else None,
        "status_url": url_for("public.status", code=found.tracking_code, _external=True),
    }


@bp.post("/reports")
@limiter.limit(limit_for("RATELIMIT_API"), key_func=limit_key)
def create_report():  # noqa: C901 - the checks of one request, in the order they apply
    partner = current_partner()  # a bad key is refused, never taken for anonymous
    if isinstance(partner, AuthError):
        return unauthorized(partner)
    limit = current_app.config["API_MAX_BODY"]
    # Werkzeug cuts a chunked body (no Content-Length) at the limit without an error; one
    # byte more tells a body at the limit from a longer one, which gets 413 like any other.
    request.max_content_length = limit + 1
    if not request.is_json:
        return error(_("Send a JSON body with Content-Type: application/json."), 415)
    if len(request.get_data(cache=True)) > limit:
        abort(413)
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # deeply nested arrays are not a report either
        body = None
    if body is None:
        return error(_("The body is not valid JSON."), 400)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= 128 and key.isascii() and key.isprintable()):
        return error(_("Idempotency-Key must be 1 to 128 printable ASCII characters."), 400)
    # pydantic loads with the API schema on the first report, not for `flask` commands;
    # reports.init_app loads it up front in servers.
    from intake.reports.api_input import InputError, parse_report

    try:
        data = parse_report(body)
        if partner is not None:  # one partner relays many people: not one address
            data.partner_id = partner.id
            partners.mark_used(partner)
        data.reporter_key = reporter_key(
            current_app.config["SECRET_KEY"],
            address=None if partner else request.remote_addr,
            email=data.contact_email if data.contact_consent else None,
            phone=data.contact_phone if data.contact_consent else None)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        report, created = submit_report(
            data, channel="api", upload_dir=current_app.config["UPLOAD_DIR"],
            idempotency=(key, digest) if key else None,
        )
    except InputError as exc:
        db.session.rollback()
        return error(_("Some fields need fixing."), 400, exc.fields)
    except IdempotencyConflict:
        db.session.rollback()
        return error(_("This Idempotency-Key was already used with a different body."), 409)
    db.session.commit()  # the report, or the partner's last use after a replay
    code = report.tracking_code
    # A replay repeats the first response; GET the status URL for what happened since.
    response = jsonify({"tracking_code": code, "status": "received",
                        "status_url": url_for("public.status", code=code, _external=True)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_report", code=report.tracking_code)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/reports/<code>")
@limiter.limit(lambda: current_app.config["RATELIMIT_STATUS"])
def get_report(code: str):
    try:
        found = status_for(code)
    except CodeError as exc:
        if str(exc) == "checksum":
            return error(_("This code contains a typo: one character is wrong or two are "
                           "swapped."), 400)
        return error(_("A tracking code looks like RD-7K3M-9QX1."), 400)
    if found is None:
        return error(_("No report has this tracking code."), 404)
    return jsonify(_status_json(found))


@bp.get("/partner/reports")
@limiter.limit(limit_for("RATELIMIT_STATUS"), key_func=limit_key)
def partner_reports():
    partner = current_partner()
    if partner is None:
        return missing_key()
    if isinstance(partner, AuthError):
        return unauthorized(partner)
    page_arg, per_page_arg = request.args.get("page", "1"), request.args.get("per_page", "20")
    if not (page_arg.isdigit() and 1 <= int(page_arg) <= 100_000):
        message = _("page must be a whole number from 1 to 100000.")
        return error(message, 400, {"page": message})
    if not (per_page_arg.isdigit() and 1 <= int(per_page_arg) <= MAX_PER_PAGE):
        message = _("per_page must be a whole number from 1 to %(max)d.", max=MAX_PER_PAGE)
        return error(message, 400, {"per_page": message})
    page, per_page = int(page_arg), int(per_page_arg)
    rows, total = partners.reports_of(partner, page, per_page)
    partners.mark_used(partner)
    db.session.commit()
    more = page * per_page < total
    return jsonify({
        "reports": [_status_json(public_status(report)) for report in rows],
        "page": page, "per_page": per_page, "total": total,
        "next": url_for("api.partner_reports", page=page + 1, per_page=per_page,
                        _external=True) if more else None,
    })


@bp.get("/openapi.json")
def openapi():
    from intake.reports.openapi import openapi_document

    return jsonify(openapi_document())
