"""Transparency figures per month (DSA Art. 15/24 style): one service for the page and the CLI.

Months are the newsroom's (TIMEZONE): each month's bounds are turned into UTC once, and every
count is one aggregate query that puts a stored UTC time in its month with a CASE over those
bounds (right across daylight-saving changes) and groups by it. Only the durations from a
case's first report to its decision are read row by row, for the median and 90th percentile.

Decisions count every decision taken in the month: a case decided again after reopening or
reversed on appeal counts again (reversals are also shown under appeals).
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func

from intake.appeals.models import Appeal
from intake.core.clock import local_now, to_utc
from intake.core.extensions import db
from intake.core.models import Decision, Report
from intake.publishing.models import Debunk

MAX_MONTHS = 120
TOTAL = "total"


class MonthError(ValueError):
    """A month or month range that cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class Month:
    key: str  # "YYYY-MM" in the newsroom's zone
    start: datetime  # naive UTC
    end: datetime  # naive UTC, exclusive


@dataclass
class Figures:
    """The figures of one month, or of the whole range (month == TOTAL)."""

    month: str
    by_channel: dict = field(default_factory=dict)
    by_language: dict = field(default_factory=dict)
    by_outcome: dict = field(default_factory=dict)
    hours: list = field(default_factory=list)  # first report to decision, per decision
    scored: int = 0
    suggested: int = 0  # decisions where the model had suggested a topic
    topic_changed: int = 0  # ... and the moderator chose another
    appeals_received: int = 0
    appeals_upheld: int = 0
    appeals_reversed: int = 0
    debunks_published: int = 0
    partner_reports: int | None = None  # None: reports have no partner column

    @property
    def reports(self) -> int:
        return sum(self.by_channel.values())

    @property
    def decisions(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.hours) if self.hours else None

    @property
    def p90_hours(self) -> float | None:
        """The 90th percentile by nearest rank: the smallest value >= 90 % of the values."""
        if not self.hours:
            return None
        ordered = sorted(self.hours)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]

    @property
    def scored_share(self) -> float | None:
        return self.scored / self.reports if self.reports else None

    @property
    def changed_share(self) -> float | None:
        return self.topic_changed / self.suggested if self.suggested else None


@dataclass
class Transparency:
    months: list[Figures]
    total: Figures
    languages: list[str]
    partner_available: bool

    @property
    def empty(self) -> bool:
        t = self.total
        return not (t.reports or t.decisions or t.appeals_received or t.appeals_upheld
                    or t.appeals_reversed or t.debunks_published)


def parse_month(value: str | None, name: str) -> tuple[int, int]:
    """Read "YYYY-MM" as (year, month), or raise MonthError naming the setting `name`."""
    text = (value or "").strip()
    parts = text.split("-")
    if (len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 2
            or not (parts[0].isdigit() and parts[1].isdigit())
            or not 1 <= int(parts[1]) <= 12 or int(parts[0]) < 1970):
        raise MonthError(f"{name} must be a month written YYYY-MM, e.g. 2026-03; "
                         f"got {text[:20]!r}.")
    return int(parts[0]), int(parts[1])


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_range(first: str | None, last: str | None) -> list[Month]:
    """Return the months from `first` to `last` (both "YYYY-MM", inclusive) with UTC bounds."""
    start, stop = parse_month(first, "from"), parse_month(last, "to")
    if start > stop:
        raise MonthError(f"from ({first}) must not be after to ({last}).")
    months: list[Month] = []
    at = start
    while at <= stop:
        if len(months) == MAX_MONTHS:
            raise MonthError(f"Pick at most {MAX_MONTHS} months.")
        after = _next(*at)
        # Midnight of the 1st in the newsroom's zone, naive until to_utc() adds that zone.
        first_day, next_first = datetime(*at, 1), datetime(*after, 1)  # noqa: DTZ001
        months.append(Month(f"{at[0]:04d}-{at[1]:02d}", to_utc(first_day), to_utc(next_first)))
        at = after
    return months


def default_range(count: int = 12) -> tuple[str, str]:
    """Return ("YYYY-MM", "YYYY-MM"): the last `count` months, this local month included."""
    now = local_now()
    year, month = now.year, now.month - (count - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}", f"{now.year:04d}-{now.month:02d}"


def _bucket(column, months: list[Month]):
    return case(*((column < m.end, i) for i, m in enumerate(months)))


def _grouped(months, column, *extra, where=(), value=None) -> list[tuple]:
    """Return (month index, *extra, count or sum of `value`) rows; grouped in SQL by month."""
    inner = (db.select(_bucket(column, months).label("m"),
                       *(e.label(f"g{i}") for i, e in enumerate(extra)),
                       *([value.label("v")] if value is not None else []))
             .where(column >= months[0].start, column < months[-1].end, *where).subquery())
    keys = [inner.c.m, *(inner.c[f"g{i}"] for i in range(len(extra)))]
    measure = func.sum(inner.c.v) if value is not None else func.count()
    return [tuple(row) for row in db.session.execute(
        db.select(*keys, measure).group_by(*keys))]


def _counted(condition):
    return case((condition, 1), else_=0)


# One flat pass per figure, read top to bottom: splitting it would only scatter the list.
def compute(months: list[Month], languages=("zh", "en")) -> Transparency:  # noqa: C901
    """Return the figures of every month in `months` and of the whole range."""
    rows = [Figures(m.key) for m in months]
    for i, channel, n in _grouped(months, Report.received_at, Report.channel):
        rows[i].by_channel[channel] = n
    for i, language, n in _grouped(months, Report.received_at, Report.language):
        rows[i].by_language[language] = n
    for i, n in _grouped(months, Report.received_at,
                         value=_counted(Report.scoring_status == "scored")):
        rows[i].scored = int(n or 0)
    partner = getattr(Report, "partner_id", None)
    if partner is not None:
        for figures in rows:
            figures.partner_reports = 0
        for i, n in _grouped(months, Report.received_at, where=(partner.is_not(None),)):
            rows[i].partner_reports = n
    for i, outcome, n in _grouped(months, Decision.decided_at, Decision.outcome):
        rows[i].by_outcome[outcome] = n
    suggested = Decision.model_topic.is_not(None)
    for i, n in _grouped(months, Decision.decided_at, where=(suggested,)):
        rows[i].suggested = n
    for i, n in _grouped(months, Decision.decided_at,
                         where=(suggested, Decision.final_topic != Decision.model_topic)):
        rows[i].topic_changed = n
    for i, n in _grouped(months, Appeal.created_at):
        rows[i].appeals_received = n
    for i, result, n in _grouped(months, Appeal.decided_at, Appeal.result,
                                 where=(Appeal.status == "decided",)):
        if result == "upheld":
            rows[i].appeals_upheld = n
        elif result == "reversed":
            rows[i].appeals_reversed = n
    for i, n in _grouped(months, Debunk.published_at):
        rows[i].debunks_published = n
    for i, hours in _durations(months):
        rows[i].hours.append(hours)
    seen = {lang for r in rows for lang in r.by_language}
    return Transparency(rows, _total(rows, partner is not None),
                        list(languages) + sorted(seen - set(languages)), partner is not None)


def _durations(months: list[Month]) -> list[tuple[int, float]]:
    """Return (month index, hours from the case's first report to the decision) per decision."""
    # Per decision, one lookup on ix_reports_case_received: never a scan of all reports.
    first = (db.select(func.min(Report.received_at)).where(Report.case_id == Decision.case_id)
             .correlate(Decision).scalar_subquery())
    query = (db.select(_bucket(Decision.decided_at, months), Decision.decided_at, first)
             .where(Decision.decided_at >= months[0].start,
                    Decision.decided_at < months[-1].end))
    return [(i, max((decided - received).total_seconds(), 0) / 3600)
            for i, decided, received in db.session.execute(query) if received is not None]


def _total(rows: list[Figures], partner: bool) -> Figures:
    total = Figures(TOTAL, partner_reports=0 if partner else None)
    for r in rows:
        for mine, theirs in ((total.by_channel, r.by_channel), (total.by_language, r.by_language),
                             (total.by_outcome, r.by_outcome)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        total.hours.extend(r.hours)
        for name in ("scored", "suggested", "topic_changed", "appeals_received",
                     "appeals_upheld", "appeals_reversed", "debunks_published"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        if partner:
            total.partner_reports = (total.partner_reports or 0) + (r.partner_reports or 0)
    return total
