"""Merge two cases, or move a report out of its case into a new one: audited, open cases only."""


from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.clustering import index as case_index
from intake.clustering.operations import signature_of
from intake.clustering.signatures import Signature
from intake.core.extensions import db
from intake.core.models import Case, Report, utcnow
from intake.triage import scoring as triage


class ClusterError(Exception):
    """A merge or move that cannot be done; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "same_case", "closed", "only_report"


def _snapshot(case: Case) -> dict:
    return {"case_id": case.id, "status": case.status, "report_count": case.report_count,
            "reporter_count": case.reporter_count, "priority": case.priority,
            "merged_into_id": case.merged_into_id}


def _check_open(*cases: Case) -> None:
    if any(c.status not in case_index.JOINABLE for c in cases):
        raise ClusterError("closed")


def merge_cases(target: Case, source: Case, actor: Actor, *, ip: str | None = None) -> Case:
    """Move every report of source into target, mark source merged, audit both; flushed."""
    if target.id == source.id:
        raise ClusterError("same_case")
    _check_open(target, source)
    before = {"target": _snapshot(target), "source": _snapshot(source)}
    db.session.flush()
    db.session.execute(db.update(Report).where(Report.case_id == source.id)
                       .values(case_id=target.id), execution_options={"synchronize_session": False})
    db.session.expire_all()
    merged = _combine(Signature.from_json(target.signature), target.report_count,
                      Signature.from_json(source.signature), source.report_count)
    case_index.drop(source.id)
    if merged.informative:
        case_index.replace(target, merged)
    source.status, source.merged_into_id = "merged", target.id
    source.claimed_by_id = source.claimed_until = None
    source.report_count = source.reporter_count = 0
    source.topic_counts = None
    triage.refresh_case(target)
    after = {"target": _snapshot(target), "source": _snapshot(source)}
    for case in (source, target):
        audit.record(actor, "case.merge", "case", case.id, before=before, after=after, ip=ip)
    db.session.flush()
    return target


def _combine(a: Signature, a_count: int, b: Signature, b_count: int) -> Signature:
    # The merged case is the report-weighted mean of both, kept as short as one signature.
    def mean(x: dict[int, float], y: dict[int, float]) -> dict[int, float]:
        total = {t: w * a_count for t, w in x.items()}
        for t, w in y.items():
            total[t] = total.get(t, 0.0) + w * b_count
        strongest = sorted(total.items(), key=lambda item: item[1], reverse=True)[:64]
        norm = sum(w * w for _, w in strongest) ** 0.5 or 1.0
        return {t: round(w / norm, 5) for t, w in strongest}

    a_count, b_count = max(a_count, 1), max(b_count, 1)
    return Signature(mean(a.ngrams, b.ngrams), mean(a.signals, b.signals),
                     a.specific | b.specific, a.informative or b.informative)


def move_report_out(report: Report, actor: Actor, *, ip: str | None = None) -> Case:
    """Move a report into a new case of its own, keeping its wait and SLA; audit; flushed."""
    old = report.case
    _check_open(old)
    if old.report_count <= 1:
        raise ClusterError("only_report")
    before = {"report_id": report.id, "case": _snapshot(old)}
    now = utcnow()
    new = Case(status="open", created_at=report.received_at, updated_at=now, report_count=1,
               urgent=report.urgent)
    report.case = new
    db.session.add(new)
    sig = signature_of(report)
    if sig.informative:
        case_index.add(new, sig)
    db.session.flush()
    triage.refresh_case(old)
    triage.refresh_case(new)
    after = {"report_id": report.id, "case": _snapshot(old), "new_case": _snapshot(new)}
    for case in (old, new):
        audit.record(actor, "case.move_out", "case", case.id, before=before, after=after, ip=ip)
    db.session.flush()
    return new
