"""Validation of the public JSON API body into a ReportInput."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from intake.core.clock import utcnow
from intake.core.links import is_valid_url
from intake.reports.forms import EMAIL_RE, PHONE_RE, PLATFORM_KEYS, clean_text
from intake.reports.operations import ReportInput

FIELDS = {"claim", "url", "platform", "explanation", "seen_at", "language", "contact"}
CONTACT_FIELDS = {"email", "phone", "consent"}
LIMITS = {"claim": 2000, "explanation": 4000, "email": 254, "phone": 40}


class InputError(Exception):
    """The body is well-formed JSON but some fields need fixing."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("invalid fields")
        self.fields = fields


def _text(body: dict, name: str, errors: dict, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            errors[name] = _("This field is required.")
        return None
    if not isinstance(value, str):
        errors[name] = _("Must be a string.")
        return None
    value = clean_text(value).strip()
    if required and len(value) < 5:
        errors[name] = _("Use at least 5 characters.")
    elif name in LIMITS and len(value) > LIMITS[name]:
        errors[name] = _("Use at most %(n)d characters.", n=LIMITS[name])
    return value or None


def _seen_at(value: Any, errors: dict) -> datetime | None:
    if value is None:
        return None
    try:
        seen = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        errors["seen_at"] = _("Use an ISO 8601 date or date-time, e.g. 2026-05-01T08:30:00Z.")
        return None
    try:
        if seen.tzinfo is not None:
            seen = seen.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 falls before year 1 in UTC
        errors["seen_at"] = _("Use an ISO 8601 date or date-time, e.g. 2026-05-01T08:30:00Z.")
        return None
    if seen > utcnow() + timedelta(days=1):
        errors["seen_at"] = _("The date cannot be in the future.")
    return seen


def _contact(value: Any, errors: dict) -> tuple[str | None, str | None, bool]:
    if value is None:
        return None, None, False
    if not isinstance(value, dict):
        errors["contact"] = _("Must be an object with email, phone and consent.")
        return None, None, False
    for extra in sorted(set(value) - CONTACT_FIELDS):
        errors[f"contact.{extra}"] = _("Unknown field.")
    sub: dict[str, str] = {}
    email, phone = _text(value, "email", sub), _text(value, "phone", sub)
    if email and "email" not in sub and not re.match(EMAIL_RE, email):
        sub["email"] = _("Enter an email like name@example.com.")
    if phone and "phone" not in sub and not re.match(PHONE_RE, phone):
        sub["phone"] = _("Enter a phone number using digits, spaces or dashes.")
    consent = value.get("consent", False)
    if not isinstance(consent, bool):
        sub["consent"] = _("Must be true or false.")
    elif consent and not (email or phone):
        sub["consent"] = _("Give an email or phone number so we can contact you.")
    errors.update({f"contact.{k}": v for k, v in sub.items()})
    return email, phone, consent is True


def parse_report(body: Any) -> ReportInput:
    """Return the ReportInput described by a JSON body, or raise InputError."""
    if not isinstance(body, dict):
        raise InputError({"body": _("The body must be a JSON object.")})
    errors: dict[str, str] = {name: _("Unknown field.") for name in sorted(set(body) - FIELDS)}
    claim = _text(body, "claim", errors, required=True)
    explanation = _text(body, "explanation", errors)
    url = _text(body, "url", errors)
    if url and "url" not in errors and not is_valid_url(url):
        errors["url"] = _("Use a full web address starting with http:// or https://.")
    platform = _text(body, "platform", errors)
    if platform and "platform" not in errors and platform not in PLATFORM_KEYS:
        errors["platform"] = _("Use one of: %(keys)s.", keys=", ".join(PLATFORM_KEYS))
    language = body.get("language")
    if language is not None and language not in ("zh", "en"):
        errors["language"] = _('Use "zh" or "en".')
    seen_at = _seen_at(body.get("seen_at"), errors)
    email, phone, consent = _contact(body.get("contact"), errors)
    if errors:
        raise InputError(errors)
    return ReportInput(
        claim=claim or "",
        explanation=explanation,
        urls=[url] if url else [],
        platform=platform,
        seen_at=seen_at,
        language=language,
        contact_email=email,
        contact_phone=phone,
        contact_consent=consent,
        good_faith=True,  # partners' buttons carry their own declaration
    )
