"""The limits, patterns and text clean-up every report field obeys, without pydantic.

reports/schema.py builds the API's pydantic model from these; the web form and the call form
read them from here, so the pages and `flask` commands load without pydantic (about 0.2 s).
"""

from datetime import date
from typing import Any

from intake.core.links import MAX_URL_LENGTH

CLAIM_MIN, CLAIM_MAX = 5, 2000
EXPLANATION_MAX = 4000
MAX_URLS = 5  # links per web report; the API and a call carry one
URL_MAX = MAX_URL_LENGTH
EMAIL_MAX = 254  # the longest address SMTP carries; the column agrees
EMAIL_RE = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$"
PHONE_RE = r"^\+?[0-9][0-9 ()\-]{5,24}$"
PHONE_MAX = 26  # the longest PHONE_RE matches ("+", a digit, 24 more); the column takes 40
LANGUAGES = ("zh", "en")
# Outside these, time zone and day arithmetic overflow (year 1, year 9999): nobody means them.
FIRST_DATE, LAST_DATE = date(1970, 1, 1), date(2100, 12, 31)
# Documentation only: the rule itself is is_valid_url (http(s), a dotted host, a sane port).
URL_PATTERN = r"^https?://[^\s/]+\.[^\s]+$"


def clean_text(value: Any) -> Any:
    """Drop NUL and lone surrogates: PostgreSQL and UTF-8 cannot store them, nobody types them."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")


def tidy(value: Any) -> Any:
    """Clean and strip a string; an empty one is absent. Anything else is left for the type."""
    if isinstance(value, str):
        return clean_text(value).strip() or None
    return value
