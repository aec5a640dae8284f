"""Typed SQLAlchemy models for reports and cases: the tables every package reads. No queries.

Staff accounts live in intake/users/models.py, audit events in intake/audit/models.py,
model versions in intake/triage/models.py."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.core.clock import utcnow
from intake.core.extensions import Model

CHANNELS = ("web", "hotline", "api")
# "merged": folded into another case (merged_into_id); its reports moved there.
# "appealed": decided, and a reporter's appeal waits for a second moderator.
CASE_STATUSES = ("open", "under_review", "appealed", "resolved", "merged")
# The one place for the statuses that still need work from the desk: queue, claims, SLA
# clock, re-ranking, dashboard counts. (Which cases new reports may join is case_index's.)
OPEN_STATUSES = ("open", "under_review", "appealed")
OUTCOMES = ("false", "misleading", "accurate", "unverifiable", "spam")


class Case(Model):
    """A cluster of reports about the same thing: the unit of moderation work."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_queue", "status", "priority", "created_at"),
        Index("ix_cases_desk_queue", "topic", "status", "priority", "id"),
        Index("ix_cases_open_sla", "status", "topic", "sla_due_at"),  # dashboard counts
        Index("ix_cases_decided", "decided_at", "status", "topic", "created_at"),  # dashboard
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Filled by scoring (triage) and by moderators.
    topic: Mapped[str | None] = mapped_column(String(40), index=True)
    priority: Mapped[float | None]
    priority_components: Mapped[dict | None] = mapped_column(JSON)
    band: Mapped[str | None] = mapped_column(String(2))
    sla_due_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    public_note: Mapped[str | None] = mapped_column(Text)  # in Chinese (or of no stated language)
    public_note_en: Mapped[str | None] = mapped_column(Text)  # in English
    decided_at: Mapped[datetime | None]
    report_count: Mapped[int] = mapped_column(default=0)
    # Denormalised for the queue so a page is one indexed query, never N+1.
    title: Mapped[str | None] = mapped_column(String(200))  # the first report's claim, cut
    channel: Mapped[str | None] = mapped_column(String(10))  # the most trusted channel seen
    language: Mapped[str | None] = mapped_column(String(5))  # the first report's language
    p_actionable: Mapped[float | None]  # the highest P(actionable) of its reports
    model_version: Mapped[str | None] = mapped_column(String(64))
    urgent: Mapped[bool] = mapped_column(default=False)  # a hotline caller said: risk now
    reporter_count: Mapped[int] = mapped_column(default=0)
    last_report_at: Mapped[datetime | None]
    # Scored reports per topic ({topic: count}): a joining report adds one, nothing rescans.
    topic_counts: Mapped[dict | None] = mapped_column(JSON)
    # The desk a moderator moved the case to (intake/cases/desk_moves.py): it wins over the model's
    # topic when the case is re-ranked and is a topic label for training until a decision.
    desk_topic: Mapped[str | None] = mapped_column(String(40))
    # Clustering: the case's character n-gram signature ({term hash: weight}, L2-normalised).
    signature: Mapped[dict | None] = mapped_column(JSON)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # Claiming: exclusive until claimed_until; set and cleared by conditional UPDATEs.
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_until: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appealed_at: Mapped[datetime | None]  # while appealed: the SLA and waiting count from here
    internal_note: Mapped[str | None] = mapped_column(Text)
    # Claim matching (intake/matching/operations.py): the decided case a report of this one matches,
    # with its verdict and date as they were then (denormalised for the queue row).
    match_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    match_outcome: Mapped[str | None] = mapped_column(String(20))
    match_decided_at: Mapped[datetime | None]
    match_similarity: Mapped[float | None]

    reports: Mapped[list["Report"]] = relationship(back_populates="case")
    terms: Mapped[list["CaseTerm"]] = relationship(back_populates="case", passive_deletes=True)


class Report(Model):
    """One notice from one reporter, through one channel."""

    __tablename__ = "reports"
    __table_args__ = (
        # A case's earliest reports and its last day; also every lookup by case_id.
        Index("ix_reports_case_received", "case_id", "received_at", "id"),
        Index("ix_reports_case_reporter", "case_id", "reporter_key"),  # a repeat reporter?
        # Trust of a case: its partners and reporter keys, read from the index alone.
        Index("ix_reports_case_source", "case_id", "partner_id", "reporter_key"),
        Index("ix_reports_partner_received", "partner_id", "received_at", "id"),  # its list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    channel: Mapped[str] = mapped_column(String(10))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(5))
    claim: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(40))
    seen_at: Mapped[datetime | None]
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_consent: Mapped[bool] = mapped_column(default=False)
    good_faith: Mapped[bool] = mapped_column(default=False)
    # Scoring fills these; "unscored" reports stay visible and are rescored later.
    scoring_status: Mapped[str] = mapped_column(String(10), default="unscored", index=True)
    topic: Mapped[str | None] = mapped_column(String(40))
    p_actionable: Mapped[float | None]
    priority: Mapped[float | None]
    priority_components: Mapped[dict | None] = mapped_column(JSON)
    reasons: Mapped[dict | None] = mapped_column(JSON)
    model_version: Mapped[str | None] = mapped_column(String(64))
    scored_at: Mapped[datetime | None]
    # Who reported, as a keyed hash (of contact or network address): counts distinct reporters.
    reporter_key: Mapped[str | None] = mapped_column(String(64))
    # Hotline: the caller number only as a keyed hash and a mask, in full only with consent.
    call_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    call_started_at: Mapped[datetime | None]
    caller_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    caller_masked: Mapped[str | None] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(default=False)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    operator_notes: Mapped[str | None] = mapped_column(Text)
    contact_purged_at: Mapped[datetime | None]
    # A trusted partner's report (intake/partners/operations.py): sent with its API key.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))

    case: Mapped[Case] = relationship(back_populates="reports")
    urls: Mapped[list["ReportUrl"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportUrl.position"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )


class ReportUrl(Model):
    """A link the reporter gave, with the normalised key used to find duplicates."""

    __tablename__ = "report_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(String(2048))
    url_key: Mapped[str] = mapped_column(String(2048), index=True)

    report: Mapped[Report] = relationship(back_populates="urls")


class Attachment(Model):
    """An evidence file, stored outside the web root and served to staff only."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    report: Mapped[Report] = relationship(back_populates="attachments")


class IdempotencyKey(Model):
    """Remembers an API POST so a retry returns the first result."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTerm(Model):
    """Inverted index of open cases' strongest n-gram terms: clustering finds candidates here."""

    __tablename__ = "case_terms"

    term: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)

    # Lets a new case's terms be added before the case has an id (no early flush).
    case: Mapped[Case] = relationship(back_populates="terms")


class Decision(Model):
    """A moderator's decision on a case, with the model's suggestion at the time (the label)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    final_topic: Mapped[str] = mapped_column(String(40))
    public_note: Mapped[str | None] = mapped_column(Text)  # in Chinese (or of no stated language)
    public_note_en: Mapped[str | None] = mapped_column(Text)  # in English
    internal_note: Mapped[str | None] = mapped_column(Text)
    model_topic: Mapped[str | None] = mapped_column(String(40))
    model_p_actionable: Mapped[float | None]
    model_version: Mapped[str | None] = mapped_column(String(64))
    # False once the case is reopened or decided again; training reads current decisions only.
    current: Mapped[bool] = mapped_column(default=True)

    case: Mapped[Case] = relationship()
