"""The partners table: organisations that send reports through the API with their own key."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.core.extensions import Model
from intake.core.models import utcnow

# active: its key works and its reports get the trust component; suspended (misuse): its
# key still works, its reports are stored and marked and rank last; revoked: its key is dead.
PARTNER_STATES = ("active", "suspended", "revoked")


class Partner(Model):
    """A trusted partner and the hash of its API key (the key itself is never stored)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))  # not secret: tells keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    state: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(Text)
