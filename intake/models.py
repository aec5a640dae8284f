"""Typed SQLAlchemy models for reports and cases. No queries live here."""

from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db

CHANNELS = ("web", "hotline", "api")
CASE_STATUSES = ("open", "under_review", "resolved")
OUTCOMES = ("false", "misleading", "accurate", "unverifiable", "spam")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


class Case(db.Model):
    """A cluster of reports about the same thing: the unit of moderation work."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_queue", "status", "priority", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Filled by scoring (triage) and by moderators.
    topic: Mapped[str | None] = mapped_column(String(40), index=True)
    priority: Mapped[float | None]
    priority_components: Mapped[dict | None] = mapped_column(JSON)
    band: Mapped[str | None] = mapped_column(String(2))
    sla_due_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))
    public_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    report_count: Mapped[int] = mapped_column(default=0)

    reports: Mapped[list["Report"]] = relationship(back_populates="case")


class Report(db.Model):
    """One notice from one reporter, through one channel."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
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

    case: Mapped[Case] = relationship(back_populates="reports")
    urls: Mapped[list["ReportUrl"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportUrl.position"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )


class ReportUrl(db.Model):
    """A link the reporter gave, with the normalised key used to find duplicates."""

    __tablename__ = "report_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(String(2048))
    url_key: Mapped[str] = mapped_column(String(2048), index=True)

    report: Mapped[Report] = relationship(back_populates="urls")


class Attachment(db.Model):
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


class IdempotencyKey(db.Model):
    """Remembers an API POST so a retry returns the first result."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ModelVersion(db.Model):
    """A trained triage model; the artifact lives here so every host can load it."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    card: Mapped[dict] = mapped_column(JSON)
    artifact: Mapped[bytes] = mapped_column(LargeBinary)


class ModelActivation(db.Model):
    """Append-only log of which version is active; the newest row wins."""

    __tablename__ = "model_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    activated_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(200))

    version: Mapped[ModelVersion] = relationship()
