"""How far a case's reporters are trusted: suspensions and recent spam decisions.

Each report answers to one *source*: its partner when a partner sent it (a partner relays
many people and answers for them), else its reporter key, else nobody (an anonymous report,
trusted as usual). A source's weight, in priority points:

- suspended (`flask partners suspend`, `flask reporters suspend`): SUSPENDED (-100);
- low trust: its reports are in s >= N cases whose current decision is `spam`, decided
  within the last SPAM_TRUST_WINDOW_DAYS, where N = SPAM_TRUST_THRESHOLD:
  -min(SPAM_TRUST_CAP, SPAM_TRUST_STEP * (s - N + 1)) (defaults: 3 → -5, 4 → -10 … -30);
- an active partner not of low trust: +PARTNER_TRUST;
- anyone else: 0.

A case is as trusted as its *most* trusted source (the maximum): one spammer among ordinary
reporters costs the case nothing; only a case every source of which is suspended or of low
trust sinks. Its `trust` priority component is that weight (none when 0). Spam is counted
from the decisions table on every refresh (no counter that could drift), so a penalty
appears and runs out by itself when `cases reprioritise` runs. A case with more than
MAX_KEYS distinct reporter keys is taken as widely reported: its keys are not examined.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func

from intake.cases.stats import _pending
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.misuse.models import ReporterSuspension
from intake.partners.models import Partner

SUSPENDED = -100.0
MAX_KEYS = 50


@dataclass
class Sources:
    """Whom a case's reports answer to."""

    partners: set[int] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    anonymous: bool = False


def spam_penalty(spam: int, config: dict) -> float:
    """Return the (negative) points of a source with `spam` recent spam decisions, else 0."""
    over = spam - config["SPAM_TRUST_THRESHOLD"] + 1
    if over <= 0:
        return 0.0
    return -float(min(config["SPAM_TRUST_CAP"], config["SPAM_TRUST_STEP"] * over))


def spam_counts(column, values: set, config: dict) -> dict:
    """Count, per reporter key or partner id, its cases decided `spam` within the window."""
    if not values:
        return {}
    since = utcnow() - timedelta(days=config["SPAM_TRUST_WINDOW_DAYS"])
    spam_cases = db.select(Decision.case_id).where(
        Decision.outcome == "spam", Decision.current.is_(True), Decision.decided_at >= since)
    # Usually there is none: then no report is read. Else the recent spam cases drive the
    # query, not the source's reports, which grow without bound (a busy partner, a spammer).
    if db.session.scalar(spam_cases.limit(1)) is None:
        return {}
    # A case has at most one current decision: its spam cases count once each.
    query = (db.select(column, func.count(func.distinct(Report.case_id)))
             .where(column.in_(list(values)), Report.case_id.in_(spam_cases))
             .group_by(column))
    if column is Report.reporter_key:  # a partner's report answers to the partner
        query = query.where(Report.partner_id.is_(None))
    return dict(db.session.execute(query).all())


def suspended_keys(keys: set[str]) -> set[str]:
    """Return which of these reporter keys are suspended."""
    if not keys:
        return set()
    return set(db.session.scalars(db.select(ReporterSuspension.reporter_key)
                                  .where(ReporterSuspension.reporter_key.in_(list(keys)))))


def _sources(case: Case) -> Sources:
    with db.session.no_autoflush:
        local = _pending(case)
        found = Sources({r.partner_id for r in local if r.partner_id},
                        {r.reporter_key for r in local if r.reporter_key and not r.partner_id},
                        any(not r.partner_id and not r.reporter_key for r in local))
        if case.id is None:
            return found
        where = [Report.case_id == case.id]
        if skip := [r.id for r in local if r.id is not None]:
            where.append(Report.id.not_in(skip))
        found.partners.update(db.session.scalars(db.select(Report.partner_id).distinct()
                                                 .where(*where, Report.partner_id.is_not(None))))
        keys = set(db.session.scalars(db.select(Report.reporter_key).distinct()
                                      .where(*where, Report.partner_id.is_(None))
                                      .limit(MAX_KEYS + 2)))
    found.anonymous |= None in keys
    found.keys.update(k for k in keys if k)
    return found


def partner_weights(ids: set[int], config: dict) -> list[float]:
    """The weight of each partner (see the module docstring)."""
    states = dict(db.session.execute(db.select(Partner.id, Partner.state)
                                     .where(Partner.id.in_(list(ids)))).all()) if ids else {}
    spam = spam_counts(Report.partner_id, {i for i, s in states.items() if s == "active"},
                       config)
    weights = []
    for partner_id, state in states.items():
        if state == "suspended":
            weights.append(SUSPENDED)
        elif state == "active":
            weights.append(spam_penalty(spam.get(partner_id, 0), config)
                           or float(config["PARTNER_TRUST"]))
        else:
            weights.append(0.0)  # revoked: its old reports count as anyone's
    return weights


def key_weights(keys: set[str], config: dict) -> list[float]:
    """The weight of each reporter key (see the module docstring)."""
    suspended = suspended_keys(keys)
    spam = spam_counts(Report.reporter_key, keys - suspended, config)
    return [SUSPENDED if key in suspended else spam_penalty(spam.get(key, 0), config)
            for key in keys]


def case_trust(case: Case) -> float | None:
    """Return the case's `trust` priority points: its most trusted source's weight, or None
    when that is 0 (no component)."""
    config = current_app.config
    with db.session.no_autoflush:  # the report being stored is flushed later, once
        found = _sources(case)
        weights = partner_weights(found.partners, config)
        if found.anonymous or len(found.keys) > MAX_KEYS:
            weights.append(0.0)
        if found.keys and max(weights, default=-1.0) < 0:  # a key never weighs more than 0
            weights.extend(key_weights(found.keys, config))
    return max(weights, default=0.0) or None


def check_config(config: dict) -> None:
    """Refuse to start with spam-trust settings that would punish everyone or nobody."""
    if config["SPAM_TRUST_THRESHOLD"] < 1 or config["SPAM_TRUST_WINDOW_DAYS"] < 1:
        raise RuntimeError("SPAM_TRUST_THRESHOLD and SPAM_TRUST_WINDOW_DAYS must be at least "
                           "1 (spam cases, days).")
    if not 0 <= config["SPAM_TRUST_STEP"] <= config["SPAM_TRUST_CAP"] <= 100:
        raise RuntimeError("Set 0 <= SPAM_TRUST_STEP <= SPAM_TRUST_CAP <= 100 (points).")
