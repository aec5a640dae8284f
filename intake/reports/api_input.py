"""Validation of the public JSON API body into a ReportInput, through the report schema."""

from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError

from intake.reports.operations import ReportInput
from intake.reports.schema import (
    FIRST_DATE,
    LAST_DATE,
    PLATFORM_KEYS,
    URL_MAX,
    Contact,
    ReportBody,
)

FIELDS = set(ReportBody.model_fields)
CONTACT_FIELDS = set(Contact.model_fields)
# An error found on the whole contact object belongs to one of its fields.
_ON_FIELD = {"contact_needed": "consent"}


class InputError(Exception):
    """The body is well-formed JSON but some fields need fixing."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("invalid fields")
        self.fields = fields


def _message(field: str, kind: str, ctx: dict) -> str:
    """Say what to fix, in the reader's language; one message per schema error type."""
    if kind == "literal_error":
        if field == "language":
            return _('Use "zh" or "en".')
        return _("Use one of: %(keys)s.", keys=", ".join(PLATFORM_KEYS))
    if field == "url" and kind in ("url", "string_too_long"):
        return _("Use a full web address starting with http:// or https://, of at most "
                 "%(n)d characters.", n=URL_MAX)
    if kind == "string_pattern_mismatch":
        if field.endswith("email"):
            return _("Enter an email like name@example.com.")
        return _("Enter a phone number using digits, spaces or dashes.")
    messages = {
        "missing": lambda: _("This field is required."),
        "string_type": lambda: _("Must be a string."),
        "bool_type": lambda: _("Must be true or false."),
        "extra_forbidden": lambda: _("Unknown field."),
        "model_type": lambda: _("Must be an object with email, phone and consent."),
        "string_too_short": lambda: _("Use at least %(n)d characters.", n=ctx["min_length"]),
        "string_too_long": lambda: _("Use at most %(n)d characters.", n=ctx["max_length"]),
        "iso_datetime": lambda: _("Use an ISO 8601 date or date-time, e.g. "
                                  "2026-05-01T08:30:00Z."),
        "future_date": lambda: _("The date cannot be in the future."),
        "date_range": lambda: _("Give a date between %(first)d and %(last)d.",
                                first=FIRST_DATE.year, last=LAST_DATE.year),
        "contact_needed": lambda: _("Give an email or phone number so we can contact you."),
    }
    return messages.get(kind, lambda: _("This value is not valid here."))()


def _errors(exc: ValidationError) -> dict[str, str]:
    """Return {dotted field: message}, the first error of each field (unions report several)."""
    fields: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        if error["type"] in _ON_FIELD:
            loc.append(_ON_FIELD[error["type"]])
        field = ".".join(loc) or "body"
        fields.setdefault(field, _message(field, error["type"], error.get("ctx") or {}))
    return fields


def parse_report(body: Any) -> ReportInput:
    """Return the ReportInput described by a JSON body, or raise InputError."""
    if not isinstance(body, dict):
        raise InputError({"body": _("The body must be a JSON object.")})
    try:
        report = ReportBody.model_validate(body)
    except ValidationError as exc:
        raise InputError(_errors(exc)) from None
    contact = report.contact or Contact()
    return ReportInput(
        claim=report.claim,
        explanation=report.explanation,
        urls=[report.url] if report.url else [],
        platform=report.platform,
        seen_at=report.seen_at,
        language=report.language,
        contact_email=contact.email,
        contact_phone=contact.phone,
        contact_consent=contact.consent,
        good_faith=True,  # partners' buttons carry their own declaration
    )
