"""Staff accounts and their desks."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.core.clock import utcnow
from intake.core.extensions import Model

ROLES = ("operator", "moderator", "admin")


class User(UserMixin, Model):
    """A staff account: hotline operator, moderator or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Bumped on password reset and deactivation: sessions carrying an older value end.
    session_version: Mapped[int] = mapped_column(default=1)

    desks: Mapped[list["UserDesk"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="UserDesk.topic"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class UserDesk(Model):
    """Membership of a user in a desk; desks are the topic keys."""

    __tablename__ = "user_desks"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="desks")
