"""Public JSON API for partners' "report this" buttons."""

import hashlib
import json

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from .api_input import InputError, parse_report
from .extensions import csrf, limiter
from .openapi import openapi_document
from .reporters import reporter_key
from .reports import IdempotencyConflict, PublicStatus, status_for, submit_report
from .tracking import CodeError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are used here, so there is no session to forge


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
@limiter.limit(lambda: current_app.config["RATELIMIT_API"])
def create_report():
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
    try:
        data = parse_report(body)
        data.reporter_key = reporter_key(
            current_app.config["SECRET_KEY"], address=request.remote_addr,
            email=data.contact_email if data.contact_consent else None,
            phone=data.contact_phone if data.contact_consent else None)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        report, created = submit_report(
            data, channel="api", upload_dir=current_app.config["UPLOAD_DIR"],
            idempotency=(key, digest) if key else None,
        )
    except InputError as exc:
        return error(_("Some fields need fixing."), 400, exc.fields)
    except IdempotencyConflict:
        return error(_("This Idempotency-Key was already used with a different body."), 409)
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


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
