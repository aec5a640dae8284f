"""Staff search: find cases by tracking code, link, caller digits (operators) or claim words.

Exact matches (a code, a normalised link, a caller's number) rank first, then text relevance
(SQLite FTS5 bm25, PostgreSQL ts_rank over the same bigram terms), then the newest report.
Who may see what is part of the query, so every page holds 20 visible cases: moderators
and admins the cases they may work (users/permissions.py, the case page's rule), operators the
hotline reports their screens show. Caller numbers are matched for operators only.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnClause, Float, cast, false, func, literal_column, select, union_all

from intake.core.extensions import db
from intake.core.links import is_valid_url, url_key
from intake.core.models import Case, Report, ReportUrl
from intake.hotline.calls import CallerNumberError, caller
from intake.reports.tracking import CodeError, parse_code
from intake.search.models import report_search
from intake.search.text import fold, terms
from intake.users.models import User
from intake.users.permissions import workable

MIN_CHARS = 2
MAX_CHARS = 200
PER_PAGE = 20
MAX_TERMS = 32
CODES_SHOWN = 5
_BARE_LINK = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")
_PHONE_SEPARATORS = re.compile(r"[\s\-().\u00a0/]")


@dataclass(frozen=True)
class Query:
    """What a typed query can mean; fields that do not apply are None or empty."""

    text: str
    code: str | None = None
    link_key: str | None = None
    digits: str | None = None
    words: tuple[str, ...] = ()

    @property
    def problem(self) -> str | None:
        """Return "empty", "too_short" or "too_long" when nothing can be searched, else None."""
        if not self.text:
            return "empty"
        if len(self.text) < MIN_CHARS:
            return "too_short"
        return "too_long" if len(self.text) > MAX_CHARS else None


@dataclass(frozen=True)
class ReportHit:
    """One matching report of a result: its code and claim."""

    id: int
    tracking_code: str
    claim: str
    channel: str
    exact: bool


@dataclass
class Hit:
    """One case found and its matching reports (the first CODES_SHOWN, newest exact first)."""

    case: Case
    exact: bool
    reports: list[ReportHit] = field(default_factory=list)
    more: int = 0


@dataclass(frozen=True)
class SearchPage:
    """One page of results and how many cases match in all."""

    hits: list[Hit]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def parse_query(raw: str | None) -> Query:
    """Return what the typed text can mean: a code, a link, digits, words."""
    plain = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    folded = fold(plain)
    if not folded or len(folded) < MIN_CHARS or len(folded) > MAX_CHARS:
        return Query(folded)
    try:
        code = parse_code(folded)
    except CodeError:
        code = None
    if code is None and " " not in plain and (is_valid_url(plain) or _BARE_LINK.match(plain)):
        link = plain if is_valid_url(plain) else f"https://{plain}"
        if is_valid_url(link):
            return Query(folded, link_key=url_key(link))
    digits = _PHONE_SEPARATORS.sub("", plain)
    words = list(dict.fromkeys(terms(folded)))
    if any(len(w) > 1 or w.isascii() for w in words):  # lone CJK characters only match alone
        words = [w for w in words if len(w) > 1 or w.isascii()]
    bare = digits.removeprefix("+")  # a leading + (or 00) is kept for the whole number
    phone = bare.isdigit() and bare.isascii() and 4 <= len(bare) <= 15
    return Query(folded, code=code, digits=digits if phone else None,
                 words=tuple(words[:MAX_TERMS]))


def _exact(condition):
    return select(Report.id.label("report_id"), literal_column("1").label("exact"),
                  cast(literal_column("0"), Float).label("score")).where(condition)


def _text_hits(words: tuple[str, ...]):
    if db.session.get_bind().dialect.name == "postgresql":
        query = func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(words))
        return select(report_search.c.report_id, literal_column("0").label("exact"),
                      cast(func.ts_rank(report_search.c.terms, query), Float).label("score")
                      ).where(report_search.c.terms.op("@@")(query))
    fts: ColumnClause[Any] = literal_column("report_search")
    match = " ".join(f'"{word}"' for word in words)  # words are letters and digits only
    return select(literal_column("report_search.rowid").label("report_id"),
                  literal_column("0").label("exact"),
                  # rank is bm25 (lower is better); the function itself fails once the
                  # planner folds this select into the grouping query, the column does not.
                  cast(-literal_column("report_search.rank"), Float).label("score")
                  ).select_from(report_search).where(fts.op("MATCH")(match))


def _hits(query: Query, user: User):
    parts = []
    if query.code:
        parts.append(_exact(Report.tracking_code == query.code))
    if query.link_key:
        parts.append(_exact(Report.id.in_(
            select(ReportUrl.report_id).where(ReportUrl.url_key == query.link_key))))
    if query.digits and user.role == "operator":  # callers' numbers: operators only
        parts.append(_exact(Report.caller_masked == "****" + query.digits[-4:])
                     if len(query.digits.lstrip("+")) < 7 else _phone_hash(query.digits))
    # A typed code that exists means that report; a word that merely passes the check
    # symbol (one in 32 of eight-letter words) is searched as words.
    if query.words and not (query.code and db.session.scalar(
            select(Report.id).where(Report.tracking_code == query.code))):
        parts.append(_text_hits(query.words))
    return union_all(*parts).subquery("hits") if parts else None


def _phone_hash(digits: str):
    try:
        return _exact(Report.caller_hash == caller(digits).hash)
    except CallerNumberError:
        return _exact(false())


def visible(user: User) -> list:
    """Return the conditions on Report and Case limiting results to what the user may open."""
    if user.role == "operator":
        return [Report.channel == "hotline"]  # the hotline receipt shows these, nothing else
    return [workable(user)]


def search(user: User, query: Query, page: int = 1) -> SearchPage:
    """Return one page of the cases matching the query that the user may see."""
    hits = _hits(query, user) if not query.problem else None
    if hits is None:
        return SearchPage([], 0, page)
    matched = (select(Report.case_id, func.max(hits.c.exact).label("exact"),
                      func.max(hits.c.score).label("score"),
                      func.max(Report.received_at).label("latest"))
               .join_from(hits, Report, Report.id == hits.c.report_id)
               .join(Case, Case.id == Report.case_id)
               .where(*visible(user)).group_by(Report.case_id))
    total = db.session.scalar(select(func.count()).select_from(matched.subquery()))
    ranked = db.session.execute(
        matched.order_by(literal_column("exact").desc(), literal_column("score").desc(),
                         literal_column("latest").desc(), Report.case_id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    ids = [row.case_id for row in ranked]
    cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(ids)))}
    found = {row.case_id: Hit(cases[row.case_id], bool(row.exact)) for row in ranked}
    _add_reports(found, hits, user)
    return SearchPage([found[i] for i in ids], total or 0, page)


def _add_reports(found: dict[int, Hit], hits, user: User) -> None:
    if not found:
        return
    rows = db.session.execute(
        select(Report.case_id, Report.id, Report.tracking_code, Report.claim, Report.channel,
               func.max(hits.c.exact).label("exact"))
        .join_from(hits, Report, Report.id == hits.c.report_id)
        .join(Case, Case.id == Report.case_id)
        .where(Report.case_id.in_(list(found)), *visible(user))
        .group_by(Report.case_id, Report.id, Report.tracking_code, Report.claim,
                  Report.channel, Report.received_at)
        .order_by(literal_column("exact").desc(), Report.received_at.desc(), Report.id.desc()))
    for row in rows:
        hit = found[row.case_id]
        if len(hit.reports) < CODES_SHOWN:
            hit.reports.append(ReportHit(row.id, row.tracking_code, row.claim, row.channel,
                                         bool(row.exact)))
        else:
            hit.more += 1
