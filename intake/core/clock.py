"""The newsroom clock: now in UTC (what is stored) and in the newsroom's zone (what is shown).

Times are stored naive and always UTC. Dates people type and read (the day a report was
seen, due times, claim expiry) are in the newsroom's zone, setting TIMEZONE.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def _frozen() -> datetime | None:
    # CLOCK_NOW pins the clock (tests and drills only; refused in production by config).
    if has_app_context():
        return current_app.config.get("CLOCK_NOW")
    return None


def utcnow() -> datetime:
    """Return now as a naive UTC datetime, the form every stored time takes."""
    return _frozen() or datetime.now(UTC).replace(tzinfo=None)


def newsroom_zone(key: str = "TIMEZONE") -> ZoneInfo:
    """Return the newsroom's zone (or the zone of another setting, e.g. HOTLINE_TIMEZONE)."""
    return ZoneInfo(current_app.config[key])


def local_now(key: str = "TIMEZONE") -> datetime:
    """Return now in the newsroom's zone, naive (the wall clock people read)."""
    return to_local(utcnow(), key)


def local_today() -> date:
    """Return today's date in the newsroom's zone."""
    return local_now().date()


def to_local(value: datetime, key: str = "TIMEZONE") -> datetime:
    """Return a stored naive-UTC time as the naive wall-clock time of the newsroom."""
    return value.replace(tzinfo=UTC).astimezone(newsroom_zone(key)).replace(tzinfo=None)


def to_utc(value: datetime, key: str = "TIMEZONE") -> datetime:
    """Return a naive wall-clock time of the newsroom as the naive UTC time to store."""
    return value.replace(tzinfo=newsroom_zone(key)).astimezone(UTC).replace(tzinfo=None)


def local_midnight(now: datetime) -> datetime:
    """Return, as naive UTC, the start of the newsroom's day that contains the UTC time now."""
    return to_utc(datetime.combine(to_local(now).date(), datetime.min.time()))


def parse_clock(value: str | datetime | None) -> datetime | None:
    """Return CLOCK_NOW as naive UTC; a value without an offset is read as UTC."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def format_local(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M",
                 zone: bool = False) -> str:
    """Jinja filter `localtime`: a stored UTC time as newsroom time, optionally naming the zone."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = to_local(value)
    text = value.strftime(fmt)
    return f"{text} {zone_name()}" if zone else text


def zone_name() -> str:
    """Return how pages name the newsroom's zone, e.g. `Asia/Shanghai (UTC+08:00)`."""
    offset = utcnow().replace(tzinfo=UTC).astimezone(newsroom_zone()).strftime("%z")
    return f"{current_app.config['TIMEZONE']} (UTC{offset[:3]}:{offset[3:]})"


def init_clock(app) -> None:
    """Register the `localtime` filter and `zone_name` for every template."""
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.globals["zone_name"] = zone_name
