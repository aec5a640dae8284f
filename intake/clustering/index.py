"""The case_terms inverted index: add and drop a case's terms, find candidate cases.

A lookup reads at most CLUSTER_POSTINGS of the newest cases per term, in one statement,
so its cost does not grow with the number of cases. Merged cases leave the index; resolved
ones stay (the case page shows similar resolved cases) and lookups filter on status.
"""

from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask import current_app
from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    Subquery,
    bindparam,
    delete,
    func,
    select,
    true,
    union_all,
)

from intake.clustering.signatures import Rules, Signature, similarity_to_stored
from intake.core.extensions import db
from intake.core.links import names_a_page
from intake.core.models import Case, CaseTerm, Report, ReportUrl

# Cases a new report may still join: not decided, not merged away.
JOINABLE = ("open", "under_review")


def rules() -> Rules:
    """Return the similarity rules from the CLUSTER_* settings."""
    config = current_app.config
    return Rules(
        threshold=config["CLUSTER_THRESHOLD"],
        signal_weight=config["CLUSTER_SIGNAL_WEIGHT"],
        signal_threshold=config["CLUSTER_SIGNAL_THRESHOLD"],
        signal_min_shared=config["CLUSTER_SIGNAL_MIN_SHARED"],
    )


def _terms(signature: Signature) -> list[int]:
    return signature.index_terms(current_app.config["CLUSTER_INDEX_TERMS"])


def add(case: Case, signature: Signature) -> None:
    """Store a case's signature and add its index terms (the case may not have an id yet).

    The terms are related to the case, so the flush that stores the case stores them too.
    """
    case.signature = signature.to_json()
    db.session.add_all(CaseTerm(term=term, case=case) for term in _terms(signature))


def drop(case_id: int) -> None:
    """Remove a case from the index."""
    db.session.execute(delete(CaseTerm).where(CaseTerm.case_id == case_id))


def replace(case: Case, signature: Signature) -> None:
    """Re-index a stored case under a new signature."""
    drop(case.id)
    add(case, signature)


def _top_postgresql() -> Subquery:
    # One shape for any number of terms (an array), so the driver prepares it once per
    # connection; the union below costs more to plan than to run there.
    terms = bindparam("terms", type_=ARRAY(Integer))  # rendered with a cast to integer[]
    term = func.unnest(terms).table_valued("term").render_derived(name="t")
    postings = (select(CaseTerm.case_id).where(CaseTerm.term == term.c.term)
                .order_by(CaseTerm.case_id.desc()).limit(bindparam("per_term")).lateral("p"))
    shared = func.count().label("shared")
    return (select(postings.c.case_id, shared).select_from(term.join(postings, true()))
            .group_by(postings.c.case_id).order_by(shared.desc(), postings.c.case_id.desc())
            .limit(bindparam("top")).subquery("top"))


def _top_union(terms: int) -> Subquery:
    # SQLite: one branch per term (a bound parameter each), each reading its newest postings.
    branches = []
    for i in range(terms):
        newest = (select(CaseTerm.case_id).where(CaseTerm.term == bindparam(f"t{i}"))
                  .order_by(CaseTerm.case_id.desc()).limit(bindparam("per_term"))
                  .subquery(f"p{i}"))
        branches.append(select(newest.c.case_id))
    postings = union_all(*branches).subquery("postings")
    shared = func.count().label("shared")
    return (select(postings.c.case_id, shared).group_by(postings.c.case_id)
            .order_by(shared.desc(), postings.c.case_id.desc())
            .limit(bindparam("top")).subquery("top"))


@cache
def _candidates_sql(terms: int | None, statuses: int) -> Select:
    # Built once per shape and reused: building it per lookup cost ~20 ms of Python.
    # Each term's newest postings are read by index; the best-sharing cases come back with
    # their signatures in the same round trip. The status filter comes after the top cases
    # are chosen: every status sees the same top cases, so one lookup over several statuses
    # splits into what each lookup would have found. One bound parameter per status: an
    # expanding IN is rebuilt on every execution.
    top = _top_postgresql() if terms is None else _top_union(terms)
    return (select(Case.id, Case.signature, Case.status, Case.outcome, Case.decided_at)
            .join_from(top, Case, Case.id == top.c.case_id)
            .where(Case.status.in_([bindparam(f"s{i}") for i in range(statuses)]),
                   Case.id != bindparam("exclude")))


class Candidate(NamedTuple):
    """A case a lookup found, how alike it is, and what the case is now."""

    case_id: int
    similarity: float
    status: str
    outcome: str | None
    decided_at: datetime | None


def lookup(
    signature: Signature, statuses: tuple[str, ...], *, exclude: int | None = None,
    limit: int | None = None,
) -> list[Candidate]:
    """Return the cases in these statuses most like the signature, best first."""
    config = current_app.config
    terms = signature.index_terms(config["CLUSTER_QUERY_TERMS"])
    if not terms:
        return []
    params = {"per_term": config["CLUSTER_POSTINGS"], "exclude": exclude or 0,
              "top": limit or config["CLUSTER_CANDIDATES"]}
    params.update({f"s{i}": status for i, status in enumerate(statuses)})
    if db.engine.dialect.name == "postgresql":
        statement = _candidates_sql(None, len(statuses))
        params["terms"] = terms
    else:
        statement = _candidates_sql(len(terms), len(statuses))
        params.update({f"t{i}": term for i, term in enumerate(terms)})
    how, query = rules(), signature.to_json()
    found = [Candidate(row.id, similarity_to_stored(query, row.signature or {}, how),
                       row.status, row.outcome, row.decided_at)
             for row in db.session.execute(statement, params)]
    return sorted(found, key=lambda c: (-c.similarity, -c.case_id))


def candidates(
    signature: Signature, statuses: tuple[str, ...], *, exclude: int | None = None,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Return (case id, similarity) of cases in these statuses most like the signature."""
    return [(c.case_id, c.similarity)
            for c in lookup(signature, statuses, exclude=exclude, limit=limit)]


def page_keys(report: Report) -> list[str]:
    """Return the normalised links of a report that name a page (a site's home page does not)."""
    return [u.url_key for u in report.urls if names_a_page(u.url_key)]


# Every case sharing a link, whatever its status: clustering and matching each take theirs.
_LINKED = (select(Case.id, Case.status, Case.outcome, Case.decided_at).distinct()
           .join(Report, Report.case_id == Case.id)
           .join(ReportUrl, ReportUrl.report_id == Report.id)
           .where(ReportUrl.url_key.in_(bindparam("keys", expanding=True)),
                  Case.status.in_((*JOINABLE, "resolved"))))


class SharedLookup:
    """One lookup of a new report over open and decided cases, for clustering and matching.

    Clustering wants the open cases, claim matching the decided ones: both are in the same
    top cases (see _candidates_sql), and among the cases sharing one of the report's links,
    so intake runs each query once, when first needed.
    """

    STATUSES = (*JOINABLE, "resolved")

    def __init__(self, signature: Signature, links: list[str] | None = None) -> None:
        self.signature = signature
        self.links = links or []  # page_keys of the report
        self._found: list[Candidate] | None = None
        self._linked: list[Candidate] | None = None

    def among(self, statuses: tuple[str, ...]) -> list[Candidate]:
        """Return the candidates in these statuses, best first (runs the query the first time)."""
        if self._found is None:
            self._found = lookup(self.signature, self.STATUSES)
        return [c for c in self._found if c.status in statuses]

    def linked(self, statuses: tuple[str, ...]) -> list[Candidate]:
        """Return the cases in these statuses that share a link with the report, newest first."""
        if self._linked is None:
            rows = db.session.execute(_LINKED, {"keys": self.links}).all() if self.links else []
            self._linked = sorted((Candidate(row.id, 1.0, row.status, row.outcome,
                                             row.decided_at) for row in rows),
                                  key=lambda c: -c.case_id)
        return [c for c in self._linked if c.status in statuses]

    def refresh(self) -> None:
        """Forget what was found: the next call looks again (cases were opened meanwhile)."""
        self._found = self._linked = None
