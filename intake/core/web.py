"""Cross-cutting HTTP behaviour: security headers, request log, error pages."""

import logging
import time

from flask import (
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from intake.core.extensions import limiter

log = logging.getLogger("intake.requests")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


# Pages that may carry personal data or a tracking code: no browser or proxy may keep them.
NO_STORE_PREFIXES = ("/staff/", "/report", "/status", "/api/v1/reports")


def _start_timer() -> None:
    g.started = time.perf_counter()


def _secure(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["HSTS_SECONDS"]:
        response.headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains")
    if request.path.startswith(NO_STORE_PREFIXES):
        response.headers.setdefault("Cache-Control", "private, no-store")
    if "started" in g:
        # Never bodies or query strings; a tracking code in the path is logged as <code>.
        log.info("%s %s %s %.1fms", request.method, _logged_path(), response.status_code,
                 (time.perf_counter() - g.started) * 1000)
    return response


def _logged_path() -> str:
    """Return the request path with any tracking code replaced by the rule's placeholder."""
    if request.url_rule is not None and "code" in (request.view_args or {}):
        return request.url_rule.rule
    return request.path


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _message(exc: HTTPException) -> str:
    messages = {
        400: _("The request could not be understood. Check the form and try again."),
        403: _("You may not open this page: your account's role or desks do not include it."),
        404: _("This page does not exist."),
        405: _("This method is not allowed here."),
        413: _("The upload is too large: files may be at most 5 MB each, 3 in all."),
        415: _("Send a JSON body with Content-Type: application/json."),
        500: _internal_error_message(),
    }
    if exc.code == 413 and request.path.startswith("/api/"):
        return _("The JSON body is too large: send at most %(n)d bytes.",
                 n=current_app.config["API_MAX_BODY"])
    if exc.code == 429:
        return _("Too many requests. Please wait %(s)s seconds and try again.",
                 s=_retry_after(exc) or 60)
    if exc.code == 400 and exc.description and not exc.description.startswith("The browser"):
        return exc.description
    if exc.code in messages:
        return messages[exc.code]
    return _("This request could not be served (error %(code)d).", code=exc.code or 500)


@event.listens_for(Session, "after_commit")
def _note_commit(session) -> None:
    # The 500 page may only say "nothing was saved" when this request committed nothing.
    # A released SAVEPOINT (begin_nested) fires this event too but saves nothing yet.
    if has_request_context() and not session.in_nested_transaction():
        g.committed = True


def _internal_error_message() -> str:
    """Say what is true about what the failed request stored."""
    if g.get("committed"):
        return _("Something went wrong on our side after what you sent was saved, so do not "
                 "send it again.")
    if request.method in ("GET", "HEAD"):
        return _("Something went wrong on our side. Please try again in a few minutes.")
    return _("Something went wrong on our side and what you sent was not saved. Please send "
             "it again in a few minutes (choose any files again).")


def _retry_after(exc: HTTPException) -> str | None:
    response = getattr(exc, "response", None)
    if response is not None and response.headers.get("Retry-After"):
        return response.headers["Retry-After"]
    # Flask-Limiter's exception carries no response; ask it when the breached window
    # resets, the same figure it puts in the Retry-After header.
    if exc.code == 429 and (limit := limiter.current_limit) is not None:
        return str(max(1, int(limit.reset_at - time.time())))
    return None


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    message = _message(exc)
    if status == 400 and "CSRF" in (exc.description or ""):
        message = _("The form expired or was sent from another site. "
                    "Reload the page and send it again.")
    body: Response | str
    if _wants_json():
        body = jsonify({"error": message, "fields": {}})
    else:
        try:
            body = render_template("core/error.html", message=message, code=status)
        except Exception:  # the error page itself must never fail
            logging.getLogger("intake").exception("error page failed")
            body = message
    headers = {}
    if retry := _retry_after(exc):
        headers["Retry-After"] = retry
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return body, status, headers


def handle_unexpected(exc: Exception):
    logging.getLogger("intake").exception("unhandled error")
    return handle_http_error(InternalServerError())


def init_web(app) -> None:
    """Register headers, logging and error handlers on the app."""
    app.before_request(_start_timer)
    app.after_request(_secure)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
