"""Record numbers from URLs and forms: ASCII digits within the database's integer range.

`str.isdigit()` and Werkzeug's `<int:...>` (regex `\\d+`) accept any Unicode digit: "²" then
broke `int()` and "٣" read as 3; and numbers past PostgreSQL's INTEGER were a DataError.
Every id from a request goes through here, once.
"""

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # primary keys are INTEGER: larger numbers name no row
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(raw: str | None) -> int | None:
    """Return raw as a record number, or None when it is not ASCII digits within range."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` for every route: ASCII digits only, at most MAX_ID, so anything else is 404."""

    regex = rf"[0-9]{{1,{_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number


def init_ids(app) -> None:
    """Make `<int:...>` in every URL rule use IdConverter (call before blueprints register)."""
    app.url_map.converters["int"] = IdConverter
