"""Desk figures for the dashboard: open, overdue, decided today, median time to decision, 14 days.

Every figure is one aggregate query over an index; no case is loaded. Decided cases are read
by their current decision (cases.decided_at): a reopened and re-decided case counts once.
Costs grow with the open cases and the last 14 days' decisions, not with the history.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, literal, literal_column, or_

from intake.appeals.models import Appeal
from intake.core.clock import local_midnight
from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case
from intake.triage.scoring import TOPICS

CHART_DAYS = 14
# A scope is the desks (topic keys) to count; None means every desk, unrouted cases included.
Scope = Sequence[str] | None


@dataclass(frozen=True)
class DeskFigures:
    """The figures of one desk (None: cases not routed to a desk yet)."""

    desk: str | None
    open: int = 0
    overdue: int = 0
    decided_today: int = 0
    median: timedelta | None = None  # creation to decision, cases decided in CHART_DAYS


@dataclass(frozen=True)
class Day:
    """New cases and decisions on one UTC day."""

    day: date
    received: int
    decided: int


def _in_scope(column, scope: Scope):
    return literal(True) if scope is None else column.in_(list(scope))


def _filter_only(column):
    # "topic || ''" can filter and group but not pick an index: without statistics SQLite
    # would otherwise walk every case in topic order to skip a sort, not the date range.
    return column.concat("")


DESK = _filter_only(Case.topic)


def _decided_since_where(scope: Scope, since: datetime) -> tuple:
    return (Case.decided_at >= since, _filter_only(Case.status) == "resolved",
            _in_scope(DESK, scope))


def _hours(later, earlier):
    """Return an SQL expression for the hours between two timestamps, for this database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date_part("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def _open_counts(scope: Scope, now: datetime) -> dict[str | None, tuple[int, int]]:
    overdue = func.sum(case((Case.sla_due_at < now, 1), else_=0))
    query = (db.select(Case.topic, func.count(), overdue)
             .where(Case.status.in_(OPEN_STATUSES), _in_scope(Case.topic, scope))
             .group_by(Case.topic))
    return {topic: (count, int(late or 0)) for topic, count, late in db.session.execute(query)}


def _decided_since(scope: Scope, since: datetime) -> dict:
    query = (db.select(DESK, func.count())
             .where(*_decided_since_where(scope, since))
             .group_by(DESK))
    return dict(db.session.execute(query).all())


def median_time(scope: Scope, since: datetime, *, by_desk: bool = True) -> dict:
    """Return the median time from a case's creation to its decision, per desk or in total."""
    hours = _hours(Case.decided_at, Case.created_at).label("hours")
    group = DESK if by_desk else literal_column("'all'")
    partition = DESK if by_desk else None
    ranked = (db.select(
        group.label("desk"), hours,
        func.row_number().over(partition_by=partition, order_by=hours).label("rank"),
        func.count().over(partition_by=partition).label("n"))
        .where(*_decided_since_where(scope, since))
        .subquery())
    # The middle row, or the mean of the two middle rows: (n+1)//2 and (n+2)//2.
    middle = or_(ranked.c.rank == (ranked.c.n + 1) // 2, ranked.c.rank == (ranked.c.n + 2) // 2)
    query = (db.select(ranked.c.desk, func.avg(ranked.c.hours))
             .where(middle).group_by(ranked.c.desk))
    return {desk: timedelta(hours=float(value)) for desk, value in db.session.execute(query)}


def desk_figures(scope: Scope, now: datetime) -> list[DeskFigures]:
    """Return the figures of every desk in scope that has open cases or recent decisions."""
    today = local_midnight(now)
    window = today - timedelta(days=CHART_DAYS - 1)
    opened, decided = _open_counts(scope, now), _decided_since(scope, today)
    medians = median_time(scope, window)
    desks = set(opened) | set(decided) | set(medians) | set(TOPICS if scope is None else scope)
    return [
        DeskFigures(desk, *opened.get(desk, (0, 0)), decided.get(desk, 0), medians.get(desk))
        for desk in sorted(desks, key=lambda d: (d is None, d or ""))
    ]


def total_figures(rows: list[DeskFigures], scope: Scope, now: datetime) -> DeskFigures:
    """Return the figures of all desks in scope together; the median is recomputed."""
    window = local_midnight(now) - timedelta(days=CHART_DAYS - 1)
    median = median_time(scope, window, by_desk=False).get("all")
    return DeskFigures(None, sum(r.open for r in rows), sum(r.overdue for r in rows),
                       sum(r.decided_today for r in rows), median)


def _per_day(column, conditions: tuple) -> dict[date, int]:
    day = func.date(column)
    query = db.select(day, func.count()).where(*conditions).group_by(day)
    # SQLite returns "YYYY-MM-DD", PostgreSQL a date: read both the same way.
    rows = db.session.execute(query)
    return {date.fromisoformat(str(value)[:10]): count for value, count in rows}


def last_days(scope: Scope, now: datetime, days: int = CHART_DAYS) -> list[Day]:
    """Return new cases and decisions per UTC day for the last `days` days, oldest first."""
    first = now.date() - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time())
    received = _per_day(Case.created_at, (Case.created_at >= since,
                                          _in_scope(DESK, scope)))
    decided = _per_day(Case.decided_at, _decided_since_where(scope, since))
    return [Day(d, received.get(d, 0), decided.get(d, 0))
            for d in (first + timedelta(days=i) for i in range(days))]


@dataclass(frozen=True)
class AppealFigures:
    """Appeals of the desks' cases: received and decided since a time, and open now."""

    received: int = 0
    upheld: int = 0
    reversed: int = 0
    open: int = 0


def appeal_figures(scope: Scope, since: datetime) -> AppealFigures:
    """Return appeals received and decided (upheld, reversed) since `since`, and open now."""
    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    decided = Appeal.decided_at >= since
    query = (db.select(counted(Appeal.created_at >= since),
                       counted(decided & (Appeal.result == "upheld")),
                       counted(decided & (Appeal.result == "reversed")),
                       counted(Appeal.status == "open"))
             .select_from(Appeal).join(Case, Case.id == Appeal.case_id)
             .where(_in_scope(Case.topic, scope),
                    or_(Appeal.created_at >= since, decided, Appeal.status == "open")))
    return AppealFigures(*(int(n) for n in db.session.execute(query).one()))
