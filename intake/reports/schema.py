"""The one schema of a report: every limit, choice and pattern a report's fields obey.

The limits and patterns live in reports/limits.py (the web form and the operator call form
read them there, without pydantic) and are imported here; the JSON API validates through
`ReportBody`, and the OpenAPI request schema is generated from it (intake/reports/openapi.py),
so changing a limit there changes it everywhere at once.
Error types, not messages, come out of here: the API translates them (api_input.py).
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from intake.core.clock import local_today, newsroom_zone
from intake.core.links import is_valid_url
from intake.core.vocabulary import PLATFORM_KEYS
from intake.reports.limits import (
    CLAIM_MAX,
    CLAIM_MIN,
    EMAIL_MAX,
    EMAIL_RE,
    EXPLANATION_MAX,
    FIRST_DATE,
    LANGUAGES,
    LAST_DATE,
    PHONE_MAX,
    PHONE_RE,
    URL_MAX,
    URL_PATTERN,
    tidy,
)


def _required(value: Any) -> Any:
    value = tidy(value)
    if value is None:
        raise PydanticCustomError("missing", "This field is required.")
    return value


def _link(value: str | None) -> str | None:
    if value is not None and not is_valid_url(value):
        raise PydanticCustomError("url", "Use a full web address.")
    return value


def _iso(value: Any) -> Any:
    if isinstance(value, datetime) or value is None:
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise PydanticCustomError("iso_datetime", "Use an ISO 8601 date or date-time.") from None


def _seen(value: datetime | None) -> datetime | None:
    """Store naive UTC; refuse a day after today in the newsroom's zone, or outside 1970-2100."""
    if value is None:
        return None
    try:
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        local_day = utc.astimezone(newsroom_zone()).date()
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 falls before year 1 in UTC
        raise PydanticCustomError("iso_datetime", "Use an ISO 8601 date or date-time.") from None
    if local_day > local_today():
        raise PydanticCustomError("future_date", "The date cannot be in the future.")
    if not FIRST_DATE <= local_day <= LAST_DATE:
        raise PydanticCustomError("date_range", "Give a date in the years allowed.")
    return utc.replace(tzinfo=None)


def text(**constraints: Any) -> Any:
    """An optional string field: tidied first, then held to the constraints unless absent."""
    return Annotated[Annotated[str, StringConstraints(**constraints)] | None,
                     BeforeValidator(tidy)]


_CONFIG = ConfigDict(strict=True, extra="forbid", regex_engine="python-re")


class Contact(BaseModel):
    """How to reach the reporter; kept only with consent, and consent needs one of the two."""

    model_config = _CONFIG

    email: Annotated[text(max_length=EMAIL_MAX, pattern=EMAIL_RE),
                     Field(json_schema_extra={"format": "email"})] = None
    phone: text(max_length=PHONE_MAX, pattern=PHONE_RE) = None
    consent: bool = False

    @model_validator(mode="after")
    def _reachable(self) -> "Contact":
        if self.consent and not (self.email or self.phone):
            raise PydanticCustomError("contact_needed", "Give an email or phone number.")
        return self


class ReportBody(BaseModel):
    """The body of POST /api/v1/reports."""

    model_config = _CONFIG

    claim: Annotated[Annotated[str, StringConstraints(min_length=CLAIM_MIN, max_length=CLAIM_MAX)],
                     BeforeValidator(_required), Field(json_schema_extra={"pattern": r"\S"},
                                                       description="What the suspect content "
                                                                   "claims.")]
    url: Annotated[text(max_length=URL_MAX), AfterValidator(_link),
                   Field(json_schema_extra={"format": "uri", "pattern": URL_PATTERN})] = None
    platform: Annotated[Literal[PLATFORM_KEYS] | None, BeforeValidator(tidy)] = None
    explanation: text(max_length=EXPLANATION_MAX) = None
    seen_at: Annotated[datetime | None, BeforeValidator(_iso), AfterValidator(_seen), Field(
        description=f"When the reporter saw it: not in the future (its date in the newsroom's "
                    f"time zone may not be after today there), between {FIRST_DATE.year} and "
                    f"{LAST_DATE.year}.")] = None
    language: Literal[LANGUAGES] | None = None
    contact: Contact | None = None
