"""The debunks table: what the desk published about a decided case, written by a moderator."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.core.extensions import Model
from intake.core.models import Case, utcnow


class Debunk(Model):
    """A public page about one decided case; never the reporters' words or data."""

    __tablename__ = "debunks"
    # The public list and the feed: published ones, newest first.
    __table_args__ = (Index("ix_debunks_public", "unpublished_at", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80))
    # The moderator's own wording of the claim: reporters' text is never copied here.
    claim_reviewed: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    sources: Mapped[str | None] = mapped_column(Text)  # cited http(s) links, one per line
    topic: Mapped[str] = mapped_column(String(40))  # the desk
    verdict: Mapped[str] = mapped_column(String(20))  # the case's outcome when published
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    unpublished_at: Mapped[datetime | None]  # set: withdrawn, the page answers 410
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()

    @property
    def is_live(self) -> bool:
        return self.published_at is not None and self.unpublished_at is None

    def source_list(self) -> list[str]:
        """Return the cited links, one per stored line."""
        return [line for line in (self.sources or "").splitlines() if line.strip()]
