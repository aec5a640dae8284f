"""The case_terms inverted index: add and drop a case's terms, find candidate cases.

A lookup reads at most CLUSTER_POSTINGS of the newest cases per term, in one statement,
so its cost does not grow with the number of cases. Merged cases leave the index; resolved
ones stay (the case page shows similar resolved cases) and lookups filter on status.
"""

from flask import current_app
from sqlalchemy import delete, func, union_all

from .extensions import db
from .models import Case, CaseTerm
from .signatures import Rules, Signature, similarity

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


def add(case: Case, signature: Signature) -> None:
    """Store a case's signature and add its index terms (the case may not have an id yet)."""
    case.signature = signature.to_json()
    terms = signature.index_terms(current_app.config["CLUSTER_INDEX_TERMS"])
    db.session.add_all(CaseTerm(term=term, case=case) for term in terms)


def drop(case_id: int) -> None:
    """Remove a case from the index."""
    db.session.execute(delete(CaseTerm).where(CaseTerm.case_id == case_id))


def replace(case: Case, signature: Signature) -> None:
    """Re-index a stored case under a new signature."""
    drop(case.id)
    add(case, signature)


def candidates(
    signature: Signature, statuses: tuple[str, ...], *, exclude: int | None = None,
    limit: int | None = None,
) -> list[tuple[Case, float]]:
    """Return cases in these statuses most like the signature, best first, with scores."""
    config = current_app.config
    terms = signature.index_terms(config["CLUSTER_QUERY_TERMS"])
    if not terms:
        return []
    per_term = config["CLUSTER_POSTINGS"]
    postings = union_all(*(
        db.select(CaseTerm.case_id).where(CaseTerm.term == term)
        .order_by(CaseTerm.case_id.desc()).limit(per_term).subquery().select()
        for term in terms
    )).subquery()
    shared = func.count().label("shared")
    ranked = (db.select(postings.c.case_id).group_by(postings.c.case_id)
              .order_by(shared.desc(), postings.c.case_id.desc())
              .limit(limit or config["CLUSTER_CANDIDATES"]))
    ids = [i for i in db.session.scalars(ranked) if i != exclude]
    if not ids:
        return []
    cases = db.session.scalars(db.select(Case).where(Case.id.in_(ids), Case.status.in_(statuses)))
    how = rules()
    scored = [(case, similarity(signature, Signature.from_json(case.signature), how))
              for case in cases]
    return sorted(scored, key=lambda item: (-item[1], -item[0].id))
