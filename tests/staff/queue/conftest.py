"""Queue fixtures: cases written straight into the database, users by name."""

from datetime import timedelta
from itertools import count

import pytest

from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User

_ids = count(1)


@pytest.fixture
def make_case(app):
    """Store an open, scored case; keyword arguments override its columns. Returns its id."""

    def make(**overrides) -> int:
        now = utcnow()
        fields = {
            "status": "open", "topic": "battery-safety", "priority": 50.0, "band": "P2",
            "channel": "web", "language": "zh", "report_count": 1, "p_actionable": 0.5,
            "title": f"电动车自燃 {next(_ids)}", "created_at": now - timedelta(hours=1),
            "sla_due_at": now + timedelta(hours=23),
        }
        fields.update(overrides)
        with app.app_context():
            case = Case(**fields)
            db.session.add(case)
            db.session.commit()
            return case.id

    return make


@pytest.fixture
def user_named(app):
    """Return a function loading a user by name (inside the caller's app context)."""

    def get(name: str) -> User:
        return db.session.scalars(db.select(User).where(User.username == name)).one()

    return get
