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
    JSON,
    DateTime,
    Executable,
    Integer,
    Result,
    String,
    TextualSelect,
    delete,
    text,
)

from intake.clustering.signatures import Rules, Signature, similarity_to_stored
from intake.core.extensions import db
from intake.core.models import Case, CaseTerm

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


# The status filter comes after the top cases are chosen: every status sees the same top
# cases, so one lookup over several statuses splits into what each lookup would have found.
_WITH_SIGNATURES = ("SELECT cases.id, cases.signature, cases.status, cases.outcome, "
                    "cases.decided_at FROM ({top}) AS top JOIN cases ON cases.id = top.case_id "
                    "WHERE cases.status IN ({statuses}) AND cases.id != :exclude")


def _finish(sql: str, statuses: int) -> TextualSelect:
    # One bound parameter per status: an expanding IN is rebuilt on every execution.
    names = ", ".join(f":s{i}" for i in range(statuses))
    return text(sql.replace("{statuses}", names)).columns(
        id=Integer, signature=JSON, status=String, outcome=String, decided_at=DateTime)


@cache
def _candidates_sql(terms: int | None, statuses: int) -> TextualSelect:
    # Plain SQL: building the same statement with the ORM costs ~20 ms of Python per lookup.
    # Each term's newest postings are read by index; the best-sharing cases come back with
    # their signatures in the same round trip.
    if terms is None:
        # PostgreSQL: one shape for any number of terms (an array), so the driver prepares it
        # once per connection; the union below costs more to plan than to run there.
        top = ("SELECT p.case_id, count(*) AS shared FROM unnest(CAST(:terms AS integer[])) "
               "AS t(term) CROSS JOIN LATERAL (SELECT case_id FROM case_terms "
               "WHERE case_terms.term = t.term ORDER BY case_id DESC LIMIT :per_term) AS p "
               "GROUP BY p.case_id ORDER BY shared DESC, p.case_id DESC LIMIT :top")
        return _finish(_WITH_SIGNATURES.format(top=top, statuses="{statuses}"), statuses)
    # Only integers (the branch numbers) are formatted in; every value is a bound parameter.
    branches = " UNION ALL ".join(
        f"SELECT case_id FROM (SELECT case_id FROM case_terms WHERE term = :t{i} "  # noqa: S608
        f"ORDER BY case_id DESC LIMIT :per_term) AS p{i}" for i in range(terms))
    top = (f"SELECT case_id, count(*) AS shared FROM ({branches}) AS postings "  # noqa: S608
           "GROUP BY case_id ORDER BY shared DESC, case_id DESC LIMIT :top")
    return _finish(_WITH_SIGNATURES.format(top=top, statuses="{statuses}"), statuses)


def execute(statement: Executable, params: dict | None = None) -> Result:
    """Run a prebuilt statement on the session's connection, as the ORM would but cheaper.

    The ORM's execution path costs more than these index probes themselves. It would also
    flush first: so does this, if a batch has reports waiting, so that earlier ones count.
    """
    if db.session.new:
        db.session.flush()
    return db.session.connection().execute(statement, params or {})


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
             for row in execute(statement, params)]
    return sorted(found, key=lambda c: (-c.similarity, -c.case_id))


def candidates(
    signature: Signature, statuses: tuple[str, ...], *, exclude: int | None = None,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Return (case id, similarity) of cases in these statuses most like the signature."""
    return [(c.case_id, c.similarity)
            for c in lookup(signature, statuses, exclude=exclude, limit=limit)]


class SharedLookup:
    """One lookup of a new report over open and decided cases, for clustering and matching.

    Clustering wants the open cases, claim matching the decided ones: both are in the same
    top cases (see _WITH_SIGNATURES), so intake runs the index query once, when first needed.
    """

    STATUSES = (*JOINABLE, "resolved")

    def __init__(self, signature: Signature) -> None:
        self.signature = signature
        self._found: list[Candidate] | None = None

    def among(self, statuses: tuple[str, ...]) -> list[Candidate]:
        """Return the candidates in these statuses, best first (runs the query the first time)."""
        if self._found is None:
            self._found = lookup(self.signature, self.STATUSES)
        return [c for c in self._found if c.status in statuses]

    def refresh(self) -> None:
        """Forget the candidates: the next among() looks again (cases were opened meanwhile)."""
        self._found = None
