"""What a case's priority and queue row depend on, without loading the case's reports.

A report joining a stored case adds itself to the case's counters (report and reporter
counts, topics, best score): a few index probes, however big the case; so does a refresh
for the time that passed (`cases reprioritise`). Anything else (a rescore, a merge, a move,
a case counted before the counters existed) counts the case again with aggregate queries.
Reports still waiting in the session are counted here in Python and left out of the
queries, so nothing is flushed early and nothing is counted twice.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Result, Row, Select, bindparam, func
from sqlalchemy import case as when

from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow

TEXT_REPORTS = 20  # the earliest reports whose words count for severity
# Reports of the last day counted at most: demand only reads min(last day, reporters), and
# it is full at 64 reporters (priority.components), so counting further changes nothing.
RECENT_CAP = 1000
COUNTERS = ("report_count", "reporter_count", "last_report_at", "channel", "p_actionable",
            "model_version", "topic_counts")


@dataclass
class CaseStats:
    """Demand and content of a case: counts, first report, topics, channels, best score."""

    report_count: int = 0
    reporter_count: int = 0
    last_report_at: datetime | None = None
    reports_last_24h: int = 0
    first: Row | Report | None = None  # id, received_at, claim, language
    topics: Counter[str] = field(default_factory=Counter)
    channels: set[str] = field(default_factory=set)
    p_actionable: float | None = None
    model_version: str | None = None
    texts: list[str] = field(default_factory=list)
    known_keys: set[str] = field(default_factory=set)  # pending reporters already counted


def _pending(case: Case) -> list[Report]:
    if case.id is None:
        return list(case.reports)  # a new case: every report is in memory
    changed = (*db.session.new, *db.session.dirty)
    return [r for r in changed if isinstance(r, Report) and r.case is case]


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)


def collect(case: Case, *, counted: bool = False) -> CaseStats:
    """Return the stats of a case, counting reports pending in the session too.

    counted: the case's reports have not changed since its counters were stored (only time
    has passed), so the counters may be used even without a new report.
    """
    since, stats = utcnow() - timedelta(hours=24), CaseStats()
    with db.session.no_autoflush:
        local = _pending(case)
        keys = {r.reporter_key for r in local if r.reporter_key}
        if case.id is None:
            pass  # a new case: every report is in memory
        elif ((local or counted) and all(r.id is None for r in local)
              and (base := _counters(case))):
            _from_counters(case.id, base, since, stats, keys)
        else:
            _from_database(case.id, [r.id for r in local if r.id is not None], since, stats,
                           local_keys=keys)
    for r in local:
        stats.report_count += 1
        stats.last_report_at = _max(stats.last_report_at, r.received_at)
        stats.reports_last_24h += r.received_at >= since
        stats.channels.add(r.channel)
        if r.scoring_status == "scored":
            if r.topic is not None:  # always set once scored; the column allows NULL
                stats.topics[r.topic] += 1
            stats.p_actionable = _max(stats.p_actionable, r.p_actionable)
            stats.model_version = _max(stats.model_version, r.model_version)
        if stats.first is None or (r.received_at, r.id or 0) < (stats.first.received_at,
                                                                stats.first.id or 0):
            stats.first = r
        if len(stats.texts) < TEXT_REPORTS:
            stats.texts.append(f"{r.claim or ''} {r.explanation or ''}")
    stats.reporter_count += len({r.reporter_key for r in local if r.reporter_key}
                                - stats.known_keys)
    stats.reporter_count += sum(1 for r in local if not r.reporter_key)
    return stats


def _counters(case: Case) -> dict | None:
    # The counters as stored: the case was loaded (or locked) and not changed since. A case
    # changed in this session may count reports still pending (refresh_case ran before the
    # flush), so it is counted in full instead; so is a case never counted.
    if db.session.is_modified(case, include_collections=False):
        return None
    base = {name: getattr(case, name) for name in COUNTERS}
    return None if base["topic_counts"] is None else base


@cache
def _queries(skipping: bool) -> dict[str, Select]:
    # Built once: building the queries per call cost more than the index probes they run.
    where = [Report.case_id == bindparam("case_id")]
    if skipping:
        where.append(Report.id.not_in(bindparam("skip", expanding=True)))
    recent = db.select(func.count()).select_from(
        db.select(Report.id).where(*where, Report.received_at >= bindparam("since"))
        .limit(RECENT_CAP).subquery())
    earliest = (db.select(Report.id, Report.received_at, Report.claim, Report.explanation,
                          Report.language)
                .where(*where).order_by(Report.received_at, Report.id).limit(TEXT_REPORTS))
    repeats = (db.select(Report.reporter_key).distinct()
               .where(*where, Report.reporter_key.in_(bindparam("keys", expanding=True))))
    return {"recent": recent, "earliest": earliest, "repeats": repeats}


def _run(query: str, case_id: int, skip: list[int], **params) -> Result:
    # Run within collect's no_autoflush: pending reports are counted in Python, not here.
    params["case_id"] = case_id
    if skip:
        params["skip"] = skip
    return db.session.execute(_queries(bool(skip))[query], params)


def _earliest(case_id: int, skip: list[int]) -> list:
    return list(_run("earliest", case_id, skip))


def _repeat_reporters(case_id: int, skip: list[int], keys: set[str]) -> set[str]:
    return set(_run("repeats", case_id, skip, keys=list(keys)).scalars()) if keys else set()


def _from_counters(case_id: int, base: dict, since: datetime, stats: CaseStats,
                   local_keys: set[str]) -> None:
    stats.report_count, stats.reporter_count = base["report_count"], base["reporter_count"]
    stats.last_report_at = base["last_report_at"]
    stats.p_actionable, stats.model_version = base["p_actionable"], base["model_version"]
    stats.channels = {base["channel"]} if base["channel"] else set()
    stats.topics = Counter(base["topic_counts"])
    stats.reports_last_24h = _run("recent", case_id, [], since=since).scalar() or 0
    earliest = _earliest(case_id, [])
    stats.first = earliest[0] if earliest else None
    stats.texts = [f"{r.claim} {r.explanation or ''}" for r in earliest]
    stats.known_keys = _repeat_reporters(case_id, [], local_keys)


def _from_database(case_id: int, skip: list[int], since: datetime, stats: CaseStats,
                   local_keys: set[str]) -> None:
    where = [Report.case_id == case_id]
    if skip:
        where.append(Report.id.not_in(skip))
    row = db.session.execute(db.select(
        func.count(), func.count(func.distinct(Report.reporter_key)),
        func.count() - func.count(Report.reporter_key), func.max(Report.received_at),
        func.coalesce(func.sum(when((Report.received_at >= since, 1), else_=0)), 0),
        func.max(Report.p_actionable), func.max(Report.model_version),
    ).where(*where)).one()
    stats.report_count, keyed, anonymous, stats.last_report_at = row[0], row[1], row[2], row[3]
    stats.reporter_count = keyed + anonymous  # a report without a key: its own reporter
    stats.reports_last_24h, stats.p_actionable, stats.model_version = row[4], row[5], row[6]
    groups = db.session.execute(
        db.select(Report.channel, Report.topic, Report.scoring_status, func.count())
        .where(*where).group_by(Report.channel, Report.topic, Report.scoring_status))
    for channel, topic, status, count in groups:
        stats.channels.add(channel)
        if status == "scored":
            stats.topics[topic] += count
    earliest = _earliest(case_id, skip)
    stats.first = earliest[0] if earliest else None
    stats.texts = [f"{r.claim} {r.explanation or ''}" for r in earliest]
    stats.known_keys = _repeat_reporters(case_id, skip, local_keys)
