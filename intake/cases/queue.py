"""Desk queues: ranked pages, per-filter counts, the least certain cases; claims live in claims.py.

Every query here is bounded by the open backlog of the desks asked about, never by the
history: each desk's queue is read from ix_cases_desk_queue (topic, status, priority, id)
in index order, and desks are merged afterwards, so a million resolved cases cost nothing.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, SQLColumnExpression, and_, func, literal, or_, union_all
from sqlalchemy import case as when

from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case, utcnow
from intake.triage.scoring import TOPICS
from intake.users.models import User

ACTIVE = OPEN_STATUSES  # the statuses that still need a decision (or an appeal's)
STATUS_CHOICES = {"active": ACTIVE, "open": ("open",), "under_review": ("under_review",),
                  "appealed": ("appealed",), "resolved": ("resolved",), "merged": ("merged",)}
CLOSED_CHOICES = ("resolved", "merged")  # filters of finished cases: no claims, no SLA clock
BANDS = ("P1", "P2", "P3", "P4")


class CursorError(ValueError):
    """A "next page" cursor that was not made by this queue."""


@dataclass(frozen=True)
class QueueFilter:
    """Which cases to list: desks are topic keys the viewer may see; empty fields match all."""

    desks: tuple[str, ...]
    status: str = "active"
    band: str | None = None
    channel: str | None = None
    language: str | None = None
    overdue: bool = False
    unscored: bool = False  # cases no model has routed yet (topic NULL), whatever the desk
    mine: bool = False
    uncertain: bool = False  # open cases whose P(actionable) is closest to 0.5 first
    user_id: int | None = None  # who "mine" means

    @property
    def statuses(self) -> tuple[str, ...]:
        return STATUS_CHOICES[self.status]


@dataclass(frozen=True)
class QueueRow:
    """One case of a queue page and the name of whoever holds a live claim on it."""

    case: Case
    holder: str | None


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue and the cursor of the next page (None on the last)."""

    rows: list[QueueRow]
    next_cursor: str | None


@dataclass
class QueueCounts:
    """How many cases each filter value would show; lower bounds when capped is True."""

    total: int = 0
    desks: Counter = field(default_factory=Counter)
    bands: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    overdue: int = 0
    unscored: int = 0
    mine: int = 0
    cap: int = 0
    capped: bool = False


def live_claim(now: datetime):
    """Return the SQL condition "someone holds a claim that has not expired"."""
    return and_(Case.claimed_by_id.is_not(None), Case.claimed_until >= now)


def _extra(filters: QueueFilter, now: datetime) -> list:
    conditions = []
    if filters.band:
        conditions.append(Case.band == filters.band)
    if filters.channel:
        conditions.append(Case.channel == filters.channel)
    if filters.language:
        conditions.append(Case.language == filters.language)
    if filters.overdue:
        conditions.append(Case.sla_due_at < now)
    return conditions


def _split(cursor: str, parts: int) -> list[float]:
    try:
        values = [float(v) for v in cursor.split("_")]
    except ValueError:
        values = []
    if len(values) != parts or not all(abs(v) < 1e12 for v in values):
        raise CursorError(cursor)
    return values


def ranked_ids(filters: QueueFilter, conditions: list, after: str | None, limit: int) -> list:
    """Return (id, priority) of the top cases, one index range per desk and status, merged."""
    if after:
        priority, case_id = _split(after, 2)
        conditions = [*conditions, or_(Case.priority < priority,
                                       and_(Case.priority == priority, Case.id < case_id))]
    appeals = _with_appeals(filters)
    parts = [
        db.select(Case.id, Case.priority)
        .where(Case.topic == desk, Case.status == status, *conditions)
        .order_by(Case.priority.desc(), Case.id.desc()).limit(limit).subquery()
        for desk in filters.desks for status in filters.statuses
        if status != "appealed" or appeals is None or desk in appeals
    ]
    if not parts:
        return []
    # SQLite only allows LIMIT inside a compound SELECT when each part is a subquery.
    merged = union_all(*(db.select(p.c.id, p.c.priority) for p in parts)).subquery()
    query = (db.select(merged.c.id, merged.c.priority)
             .order_by(merged.c.priority.desc(), merged.c.id.desc()).limit(limit))
    return [(row.id, row.priority) for row in db.session.execute(query)]


def _with_appeals(filters: QueueFilter) -> set[str] | None:
    """Return the filter's desks that have a case under appeal, or None when not worth asking.

    Appeals are rare, and each desk's appealed range is a subquery of the ranked statement
    (1.1 M instructions each on the queue page, 2 of 6 for two desks); this look-up costs
    1.0 M in all. Asked only when appeals share the page with other statuses and more than
    one desk, where it saves more than it costs.
    """
    if "appealed" not in filters.statuses or len(filters.statuses) < 2 or len(filters.desks) < 2:
        return None
    return set(db.session.scalars(db.select(Case.topic).distinct().where(
        Case.topic.in_(filters.desks), Case.status == "appealed")))


def _other_ids(filters: QueueFilter, conditions: list, after: str | None, limit: int,
               now: datetime) -> list:
    """Return (id, sort key) for the unscored, mine and uncertain views."""
    query = db.select(Case.id).where(Case.status.in_(filters.statuses), *conditions)
    key: SQLColumnExpression[Any]
    if filters.mine:
        key = func.coalesce(Case.priority, -1.0)
        # Whatever the desk: a moderator moved off a desk must still find what they hold.
        query = query.where(Case.claimed_by_id == filters.user_id, live_claim(now))
        ascending = False
    elif filters.unscored:
        key, ascending = Case.id, True  # oldest first: the model was down longest for them
        query = query.where(Case.topic.is_(None))
    else:
        key, ascending = func.abs(Case.p_actionable - 0.5), True
        query = query.where(Case.topic.in_(filters.desks), Case.p_actionable.is_not(None))
    if after:
        value, case_id = _split(after, 2)
        query = query.where(or_(key > value, and_(key == value, Case.id > case_id))
                            if ascending else
                            or_(key < value, and_(key == value, Case.id < case_id)))
    order = (key.asc(), Case.id.asc()) if ascending else (key.desc(), Case.id.desc())
    query = query.add_columns(key.label("key")).order_by(*order).limit(limit)
    return [(row.id, row.key) for row in db.session.execute(query)]


def queue_page(filters: QueueFilter, *, after: str | None = None, limit: int = 50,
               now: datetime | None = None) -> QueuePage:
    """Return one page of a queue, keyset-paginated (after = the previous page's cursor)."""
    now = now or utcnow()
    conditions = _extra(filters, now)
    if filters.mine or filters.unscored or filters.uncertain:
        keyed = _other_ids(filters, conditions, after, limit + 1, now)
    else:
        keyed = ranked_ids(filters, conditions, after, limit + 1)
    more, keyed = len(keyed) > limit, keyed[:limit]
    ids = [case_id for case_id, _key in keyed]
    # One query for the page: the cases and their live claim holders, no query per row.
    holder = when((live_claim(now), User.username), else_=literal(None)).label("holder")
    rows: Iterable[Row[Case, str | None]] = db.session.execute(db.select(Case, holder)
                              .outerjoin(User, User.id == Case.claimed_by_id)
                              .where(Case.id.in_(ids))) if ids else []
    found = {case.id: QueueRow(case, name) for case, name in rows}
    cursor = f"{keyed[-1][1]!r}_{keyed[-1][0]}" if more else None
    return QueuePage([found[i] for i in ids if i in found], cursor)


def queue_counts(filters: QueueFilter, scope: tuple[str, ...] | None = None, *,
                 cap: int = 10000, now: datetime | None = None) -> QueueCounts:
    """Count the backlog per desk of scope, and per band, channel, language and overdue.

    One grouped query over the scope's desks (default: the filter's); the other figures
    cover the filter's desks only. At most cap cases are counted per query so a huge backlog
    cannot slow the page down; past the cap the figures are lower bounds and capped is set.
    """
    now, counts, scope = now or utcnow(), QueueCounts(cap=cap), scope or filters.desks
    overdue = when((Case.sla_due_at < now, 1), else_=0).label("overdue")
    inner = (db.select(Case.topic, Case.band, Case.channel, Case.language, overdue)
             .where(Case.topic.in_(scope), Case.status.in_(filters.statuses))
             .limit(cap + 1).subquery())
    grouped = db.select(*inner.c, func.count().label("n")).group_by(*inner.c)
    chosen, seen = set(filters.desks), 0
    for topic, band, channel, language, late, n in db.session.execute(grouped):
        seen += n
        counts.desks[topic] += n
        if topic in chosen:
            counts.total += n
            counts.bands[band] += n
            counts.channels[channel] += n
            counts.languages[language] += n
            counts.overdue += n * late
    counts.capped = seen > cap
    counts.unscored = _capped_count(db.select(Case.id).where(
        Case.topic.is_(None), Case.status.in_(filters.statuses)), cap)
    if filters.user_id is not None:
        counts.mine = _capped_count(db.select(Case.id).where(
            Case.claimed_by_id == filters.user_id, live_claim(now),
            Case.status.in_(filters.statuses)), cap)
    return counts


def _capped_count(query, cap: int) -> int:
    inner = query.limit(cap + 1).subquery()
    return db.session.scalar(db.select(func.count()).select_from(inner)) or 0


def least_certain(limit: int, desks: tuple[str, ...] | list[str] | None = None) -> list[Case]:
    """Return open cases whose P(actionable) is closest to 0.5: the labels that teach most."""
    filters = QueueFilter(desks=tuple(desks) if desks is not None else TOPICS, uncertain=True)
    return [row.case for row in queue_page(filters, limit=limit).rows]
