"""Queue fixtures: users by name (cases come from the factory plugin, tests/factories.py)."""

import pytest

from intake.core.extensions import db
from intake.users.models import User


@pytest.fixture
def user_named(app):
    """Return a function loading a user by name (inside the caller's app context)."""

    def get(name: str) -> User:
        return db.session.scalars(db.select(User).where(User.username == name)).one()

    return get
