"""Intake use cases: submit a report, look up its public status."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from intake.clustering import operations as clustering
from intake.core.extensions import db
from intake.core.language import detect_language
from intake.core.links import url_key
from intake.core.models import Attachment, Case, IdempotencyKey, Report, ReportUrl, utcnow
from intake.notifications import messages as notifications
from intake.reports import evidence_cleanup
from intake.reports.evidence import Upload, remove_stored, store_uploads
from intake.reports.tracking import CodeError, new_code
from intake.search import index as search_index
from intake.triage import scoring as triage


@dataclass
class ReportInput:
    """Validated fields of one report, whatever channel it came through."""

    claim: str
    explanation: str | None = None
    urls: list[str] = field(default_factory=list)
    platform: str | None = None
    seen_at: datetime | None = None
    language: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_consent: bool = False
    good_faith: bool = False
    uploads: list[Upload] = field(default_factory=list)
    # Hotline calls (intake/hotline/calls.py): the caller number only as a keyed hash and a mask;
    # in full only as contact_phone, and only with contact_consent.
    call_id: str | None = None
    call_started_at: datetime | None = None
    caller_hash: str | None = None
    caller_masked: str | None = None
    urgent: bool = False
    operator_id: int | None = None
    operator_notes: str | None = None
    # Who reported, as a keyed hash the view computed (contact or network address): case
    # demand counts distinct reporters. Never the address itself.
    reporter_key: str | None = None
    partner_id: int | None = None  # sent by a trusted partner with its API key


def _build_report(data: ReportInput, channel: str) -> Report:
    # Contact details are kept only with consent to be contacted.
    consent = data.contact_consent and bool(data.contact_email or data.contact_phone)
    now = utcnow()
    report = Report(
        received_at=now,
        tracking_code=new_code(),
        channel=channel,
        language=data.language or detect_language(f"{data.claim} {data.explanation or ''}"),
        claim=data.claim,
        explanation=data.explanation,
        platform=data.platform,
        seen_at=data.seen_at,
        contact_email=data.contact_email if consent else None,
        contact_phone=data.contact_phone if consent else None,
        contact_consent=consent,
        good_faith=data.good_faith,
        reporter_key=data.reporter_key,
        partner_id=data.partner_id,
        case=Case(status="open", report_count=1, created_at=now, updated_at=now),
    )
    report.urls = [
        ReportUrl(position=i, url=u, url_key=url_key(u)) for i, u in enumerate(data.urls)
    ]
    _add_call_fields(report, data)
    return report


def _add_call_fields(report: Report, data: ReportInput) -> None:
    # Hotline: the caller hash is who reported; an urgent call marks its case, which
    # triage.refresh_case turns into a priority floor.
    report.call_id, report.call_started_at = data.call_id, data.call_started_at
    report.caller_hash, report.caller_masked = data.caller_hash, data.caller_masked
    report.operator_id, report.operator_notes = data.operator_id, data.operator_notes
    report.urgent = data.urgent
    report.reporter_key = report.reporter_key or data.caller_hash
    report.case.urgent = report.case.urgent or data.urgent
    report.case.channel = report.case.channel or report.channel


def submit_report(
    data: ReportInput, *, channel: str, upload_dir: str, idempotency: tuple[str, str] | None = None
) -> tuple[Report, bool]:
    """Score a report, put it into a case and flush it; return it and whether it is new.

    The caller commits. With an idempotency (key, request hash) pair, a retry returns the
    first report. Evidence files are written first and removed again if the report is not
    stored: here when storing it fails, and through evidence_cleanup when the caller's
    transaction ends without a commit, so a failure never leaves half a report behind.
    """
    if idempotency and (earlier := _replay(*idempotency)):
        return earlier, False
    report = _build_report(data, channel)
    if current_app.config["SCORING_ENABLED"]:
        # The model only reads the text: scoring never touches the database and never
        # raises, so the report is stored whatever the model does.
        triage.score_new(report)
    # The open case it joins is locked now, before the savepoint in _flush_new: a retry
    # rolls back to the savepoint and keeps these locks (and the openings lock).
    placing = clustering.place(report)
    stored = store_uploads(data.uploads, upload_dir)
    names = [name for _, name in stored]
    report.attachments = [
        Attachment(
            original_name=up.original_name[:255],
            stored_name=name,
            content_type=up.content_type,
            size=len(up.data),
            sha256=up.sha256,
        )
        for up, name in stored
    ]
    try:
        _flush_new(report, placing, idempotency)
    except BaseException as exc:
        remove_stored(names, upload_dir)
        if isinstance(exc, IntegrityError) and idempotency and (
                earlier := _replay(*idempotency)):
            return earlier, False  # a concurrent retry with the same key won the race
        raise
    evidence_cleanup.remove_unless_committed(db.session(), names, upload_dir)
    return report, True


def _flush_new(report: Report, placing: clustering.Placement,
               idempotency: tuple[str, str] | None) -> None:
    # Each attempt in a SAVEPOINT: a collision rolls back this report's rows only, never
    # the caller's transaction or the case locks taken before it.
    for _ in range(3):  # a tracking-code collision is astronomically rare, but survive it
        try:
            with db.session.begin_nested():
                # With its own case, links and evidence (cascade); joins the case placed.
                clustering.join(report, placing)
                db.session.flush()
                search_index.index_reports([report])
                if idempotency:
                    key, request_hash = idempotency
                    db.session.add(IdempotencyKey(key=key, request_hash=request_hash,
                                                  report_id=report.id))
                notifications.queue_receipt(report)  # the receipt mail commits with it
                db.session.flush()
            return
        except IntegrityError:
            if idempotency and db.session.get(IdempotencyKey, idempotency[0]):
                raise
            taken = db.select(Report.id).where(Report.tracking_code == report.tracking_code)
            if db.session.scalar(taken) is None:
                raise  # some other constraint failed: retrying with a new code cannot help
            report.tracking_code = new_code()
    raise RuntimeError("could not allocate a unique tracking code")


def submit_batch(items: list[ReportInput], *, channel: str) -> list[Report]:
    """Put many reports (no uploads) into cases like submit_report and flush; return them.

    The reports have ids and tracking codes; the caller adds its own rows (audit events)
    and commits, or rolls back: on any error nothing of the batch may be kept.
    """
    if current_app.config["CLUSTER_ENABLED"]:
        # A batch may join cases before it opens one: waiting for the opening lock
        # only then, while holding case locks, could deadlock with a single report.
        clustering.lock_openings()
    reports = []
    for data in items:
        # The same steps as submit_report: build, score, then into the session.
        report = _build_report(data, channel)
        if current_app.config["SCORING_ENABLED"]:
            triage.score_new(report)
        clustering.attach(report)  # an earlier row of the batch counts too (autoflush)
        reports.append(report)
    db.session.flush()
    search_index.index_reports(reports)
    return reports


class IdempotencyConflict(Exception):
    """The key was used before for a different request body."""


def _replay(key: str, request_hash: str) -> Report | None:
    row = db.session.get(IdempotencyKey, key)
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyConflict(key)
    return db.session.get(Report, row.report_id)


__all__ = [
    "CodeError",
    "IdempotencyConflict",
    "ReportInput",
]
