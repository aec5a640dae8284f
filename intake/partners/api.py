"""Who is calling the API: a trusted partner's bearer key, or nobody (the public path).

A wrong, malformed or revoked key is answered with 401 and audited; it is never taken for
an anonymous request. Rate limits count per partner for partners, per address otherwise.
"""

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from intake.audit import trail as audit
from intake.core.extensions import client_address, db
from intake.partners.models import Partner
from intake.partners.operations import AuthError, authenticate

MESSAGES = {
    "malformed": lambda: _("Send the partner key as: Authorization: Bearer KEY."),
    "unknown": lambda: _("This partner key is not valid."),
    "revoked": lambda: _("This partner key was revoked; ask Report Desk for a new one."),
}


def current_partner() -> Partner | AuthError | None:
    """The partner of this request, the AuthError of its bad key, or None without a key."""
    if "partner" not in g:
        header = request.headers.get("Authorization")
        if header is None:
            g.partner = None
        else:
            try:
                g.partner = authenticate(header)
            except AuthError as exc:
                g.partner = exc
    return g.partner


def limit_key() -> str:
    """Rate-limit key: the partner when its key is good, else the client address."""
    partner = current_partner()
    if isinstance(partner, Partner):
        return f"partner:{partner.id}"
    return client_address()


def limit_for(anonymous: str):
    """A dynamic limit: RATELIMIT_PARTNER for a partner, the `anonymous` setting otherwise."""
    def value() -> str:
        partner = current_partner()
        key = "RATELIMIT_PARTNER" if isinstance(partner, Partner) else anonymous
        return current_app.config[key]
    return value


def unauthorized(exc: AuthError):
    """Audit the refused key and answer 401 in the API's error format."""
    partner = exc.partner
    audit.record(None, "partner.auth_failed", "partner", partner.id if partner else None,
                 after={"reason": exc.reason, "path": request.path[:200]},
                 ip=request.remote_addr)
    db.session.commit()
    response = jsonify({"error": MESSAGES[exc.reason](), "fields": {}})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="Report Desk", error="invalid_token"'
    return response


def missing_key():
    """401 for an endpoint that needs a partner key and got none."""
    response = jsonify({"error": _("This needs a partner key: send Authorization: Bearer "
                                   "KEY."), "fields": {}})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="Report Desk"'
    return response
