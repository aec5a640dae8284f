"""Case clustering: a new report joins an open case about the same thing; merge and split cases.

Same thing = a shared normalised link (tracking parameters stripped), or a similar text
(character n-gram TF-IDF plus bilingual signals, see signatures.py) above CLUSTER_THRESHOLD.
Texts shorter than CLUSTER_MIN_CHARS never join by text: "fake!" says nothing about what.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text

from intake.clustering import index as case_index
from intake.clustering.signatures import Signature, signature
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.core.sqlite_tuning import begin_write
from intake.matching import operations as claim_match
from intake.triage import scoring as triage

OPENING_LOCK = 0x52444F50  # PostgreSQL advisory lock key ("RDOP"): case openings take turns


def signature_of(report: Report) -> Signature:
    """Return the clustering signature of a report's claim (with its explanation if short)."""
    # The claim says what is reported; explanations are often generic ("an old video,
    # circulated in 2021") and would pull unrelated claims together.
    minimum = current_app.config["CLUSTER_MIN_CHARS"]
    sig = signature(report.claim or "", min_chars=minimum)
    if not sig.informative and report.explanation:
        sig = signature(f"{report.claim or ''}\n{report.explanation}", min_chars=minimum)
    return sig


_NEWEST_CASE = db.select(db.func.max(Case.id))


def _by_url(shared: case_index.SharedLookup) -> int | None:
    found = shared.linked(case_index.JOINABLE)  # newest first
    return found[0].case_id if found else None


def _by_text(sig: Signature, shared: case_index.SharedLookup) -> int | None:
    if not sig.informative:
        return None
    found = shared.among(case_index.JOINABLE)
    if not found or found[0].similarity < current_app.config["CLUSTER_THRESHOLD"]:
        return None
    return found[0].case_id


def _lock(case_id: int, *, urgent: bool = False) -> Case | None:
    # A conditional UPDATE locks the row until commit (PostgreSQL) or begins the write
    # transaction (SQLite), so concurrent joins of one case take turns and each counts the
    # other's report. RETURNING loads the locked row in the same statement (the ORM flushes
    # first, so a batch's earlier rows are in it). No row: the case closed meanwhile.
    # Locking a case again in the same transaction is harmless: a batch locks it per row.
    # An urgent report makes the case urgent in the same statement.
    values = {"updated_at": utcnow(), **({"urgent": True} if urgent else {})}
    taken = db.session.scalars(
        db.update(Case).where(Case.id == case_id, Case.status.in_(case_index.JOINABLE))
        .values(**values).returning(Case),
        execution_options={"synchronize_session": False, "populate_existing": True})
    return taken.one_or_none()


def lock_openings() -> None:
    """Wait until no other transaction may open a case; hold that until commit.

    PostgreSQL: a transaction-level advisory lock, taken only by reports about to open a
    case (joins never wait for it); taking it again in the same transaction returns at
    once. SQLite: the write lock every writer takes anyway (BEGIN IMMEDIATE,
    core/sqlite_tuning.py), taken now if not yet held.
    A transaction that locks cases takes this first: the same order everywhere, no deadlock.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OPENING_LOCK})
    else:
        begin_write(connection)


def _newest_case() -> int | None:
    return db.session.scalar(_NEWEST_CASE)


def find_case(report: Report, sig: Signature,
              shared: case_index.SharedLookup | None = None) -> Case | None:
    """Return the open case a new report belongs to (locked), or None for a case of its own."""
    found = _open_case_id(report, sig, shared or case_index.SharedLookup(
        sig, case_index.page_keys(report)))
    return _lock(found, urgent=bool(report.case.urgent)) if found is not None else None


def _open_case_id(report: Report, sig: Signature,
                  shared: case_index.SharedLookup) -> int | None:
    if not current_app.config["CLUSTER_ENABLED"]:
        return None
    # Two first reports of one rumour arriving together must open one case, not two. A
    # report about to open a case waits for any other doing so, and looks again if a case
    # was opened since it first looked (openers number their cases in the lock's order).
    # Joins, most reports in a burst, never wait.
    newest = _newest_case()
    match = _by_url(shared) or _by_text(sig, shared)
    if match is None:
        lock_openings()
        if _newest_case() != newest:
            shared.refresh()
            match = _by_url(shared) or _by_text(sig, shared)
    return match


@dataclass
class Placement:
    """Where a new report goes: the open case it joins (locked) or its own, and its match."""

    own: Case
    target: Case | None
    sig: Signature
    match: claim_match.Match | None  # the decided case it is like


def place(report: Report) -> Placement:
    """Find (and lock) the open case a new, unsaved report belongs to; change nothing else.

    Split from join so intake can take the locks before its savepoint: a savepoint rolled
    back (a tracking-code retry) would release locks taken inside it.
    """
    sig = signature_of(report)
    # One link query and one index query for clustering and matching; matching only
    # reads, so it runs before the case lock (on SQLite, the write lock) of a join.
    shared = case_index.SharedLookup(sig, case_index.page_keys(report))
    found = _open_case_id(report, sig, shared)
    match = claim_match.find_new(report, sig, shared)
    target = _lock(found, urgent=bool(report.case.urgent)) if found is not None else None
    return Placement(report.case, target, sig, match)


def join(report: Report, placing: Placement) -> Case:
    """Put the report into the placed case (or index its own) and refresh that case.

    May run again after a rolled-back savepoint: it starts from the placement, not from
    what the report looks like now. A joined case was made urgent by its lock (find_case);
    an own case keeps the index terms of a first attempt (they go back with the case).
    """
    if placing.target is None:
        report.case = placing.own
        if placing.sig.informative and not placing.own.terms:
            case_index.add(placing.own, placing.sig)
    else:
        report.case = placing.target
    claim_match.record(report, placing.match)  # a decided case: its verdict
    db.session.add(report)
    triage.refresh_with(report)
    return report.case


def attach(report: Report) -> Case:
    """Put a new, unsaved report into an open case about the same thing, or index its own case.

    Adds the report to the session and refreshes the case's demand and priority; the caller
    commits. Nothing is flushed here, so the caller's commit stays the only write; an own
    case's index terms are in the session with it (case_index.add).
    """
    return join(report, place(report))


def similar_cases(case: Case, *, resolved_only: bool = True, limit: int = 5) -> list[Case]:
    """Return other cases most like this one, best first (resolved ones only by default)."""
    ids = similar_case_ids(case, resolved_only=resolved_only, limit=limit)
    cases = {c.id: c for c in db.session.scalars(db.select(Case).where(Case.id.in_(ids)))}
    return [cases[i] for i in ids if i in cases]


def similar_case_ids(case: Case, *, resolved_only: bool = True, limit: int = 5) -> list[int]:
    """Return the ids of other cases most like this one, best first (see similar_cases)."""
    sig = Signature.from_json(case.signature)
    if not sig.informative:
        first = db.session.scalars(db.select(Report).where(Report.case_id == case.id)
                                   .order_by(Report.id).limit(1)).first()
        sig = signature_of(first) if first is not None else sig
    if not sig.informative:
        return []
    statuses = ("resolved",) if resolved_only else (*case_index.JOINABLE, "resolved")
    found = case_index.candidates(sig, statuses, exclude=case.id, limit=50)
    floor = current_app.config["CLUSTER_SIMILAR_THRESHOLD"]
    return [case_id for case_id, score in found if score >= floor][:limit]


def case_by_id(case_id: int) -> Case | None:
    """Return a case by id, or None."""
    return db.session.get(Case, case_id)


def report_by_id(report_id: int) -> Report | None:
    """Return a report by id, or None."""
    return db.session.get(Report, report_id)
