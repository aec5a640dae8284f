"""The audit trail: admins browse and filter it; nothing in the app or the database edits it."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from intake.audit import trail as audit
from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import utcnow

ROOT = Path(__file__).resolve().parents[2]


def _source_files() -> list[Path]:
    return sorted(p for p in (ROOT / "intake").rglob("*.py") if "migrations" not in p.parts)


@pytest.fixture
def admin(make_user, login):
    make_user("root", role="admin", desks=())
    login("root")
    return "root"


@pytest.fixture
def events(app):
    """A trail of known events, oldest first: logins, a role change, case actions."""
    rows = [("mona", "user.login", "user", "1"), ("cli:ops", "user.set_role", "user", "1"),
            ("mona", "case.claim", "case", "7"), ("olga", "case.claim", "case", "8"),
            ("mona", "case.decide", "case", "7"), ("mona", "user.logout", "user", "1")]
    with app.app_context():
        for days, (actor, action, kind, target) in zip(range(len(rows), 0, -1), rows,
                                                       strict=True):
            event = audit.record(actor, action, kind, target, before={"role": "operator"},
                                 after={"note": "<script>alert(1)</script>"})
            event.at = utcnow() - timedelta(days=days)
        db.session.commit()


def _page(client, **query):
    response = client.get("/staff/audit", query_string=query, headers={"Accept-Language": "en"})
    return response.status_code, response.get_data(as_text=True)


def _rows(page: str) -> int:
    return page.count('<tr id="event-')


def test_admin_sees_the_trail_newest_first_escaped(client, admin, events):
    status, page = _page(client)
    assert status == 200
    assert page.index("user.logout") < page.index("case.decide") < page.index("user.set_role")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(("query", "count"), [
    ({"actor": "mona"}, 4),
    ({"actor": "cli:ops"}, 1),
    ({"action": "case"}, 3),  # a prefix: every case action
    ({"action": "case.claim"}, 2),
    ({"action": "cas"}, 0),  # but not a partial word
    ({"target_type": "case", "target_id": "7"}, 2),
    ({"actor": "mona", "action": "case"}, 2),
    ({"actor": "nobody"}, 0),
])
def test_filters(client, admin, events, query, count):
    status, page = _page(client, **query)
    assert status == 200
    # The admin's own login is the newest event; filters that match it count it too.
    assert _rows(page) == count
    assert (count == 0) == ('id="empty"' in page)


def test_date_range_is_inclusive_of_both_days(client, admin, events):
    day = (utcnow() - timedelta(days=5)).date().isoformat()
    status, page = _page(client, since=day, until=day)
    assert status == 200 and _rows(page) == 1 and "user.set_role" in page


@pytest.mark.parametrize(("query", "message"), [
    ({"since": "yesterday"}, "Not a valid date value"),
    ({"since": "2026-05-02", "until": "2026-05-01"}, "The end date is before the start date"),
    ({"actor": "x" * 81}, "Field cannot be longer than 80 characters"),
    ({"older_than": "abc"}, "older_than must be an event number"),
    ({"older_than": "9" * 40}, "older_than must be an event number"),
])
def test_bad_filters_are_400_with_a_message(client, admin, query, message):
    status, page = _page(client, **query)
    assert status == 400 and message in page


def test_bad_filter_message_in_chinese(client, admin):
    response = client.get("/staff/audit?since=2026-05-02&until=2026-05-01",
                          headers={"Accept-Language": "zh"})
    assert response.status_code == 400 and "截止日期早于起始日期" in response.get_data(as_text=True)


def test_keyset_pages_cover_every_event_once(app, client, admin):
    with app.app_context():
        for n in range(app.config["AUDIT_PAGE_SIZE"] * 2 + 5):
            audit.record("cli:ops", "case.claim", "case", n)
        db.session.commit()
    seen, query = [], {"action": "case.claim"}
    while True:
        status, page = _page(client, **query)
        assert status == 200
        seen += [int(line.split('"')[1].removeprefix("event-"))
                 for line in page.splitlines() if '<tr id="event-' in line]
        if 'rel="next"' not in page:
            break
        query["older_than"] = page.split('older_than=')[1].split("&")[0].split('"')[0]
    assert len(seen) == len(set(seen)) == app.config["AUDIT_PAGE_SIZE"] * 2 + 5
    assert seen == sorted(seen, reverse=True)


def test_the_audit_page_only_reads(app):
    methods = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
    assert methods["oversight.audit_trail"] <= {"GET", "HEAD", "OPTIONS"}


RAW_CHANGE = re.compile(r"(update|delete\s+from|truncate)\s+(table\s+)?audit_events", re.I)


@pytest.mark.parametrize("path", _source_files(),
                         ids=lambda p: p.relative_to(ROOT / "intake").as_posix())
def test_no_code_in_the_app_updates_or_deletes_audit_events(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not RAW_CHANGE.search(node.value), f"raw SQL on the trail, line {node.lineno}"
        if isinstance(node, ast.Call) and any(
                isinstance(a, ast.Name) and a.id == "AuditEvent" for a in node.args):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            assert name not in {"update", "delete"}, f"{name}(AuditEvent), line {node.lineno}"
        where = path.relative_to(ROOT / "intake").as_posix()
        if isinstance(node, ast.ImportFrom) and where not in {"audit/trail.py", "audit/models.py"}:
            # Only the trail handles event rows; everyone else goes through record/browse.
            assert "AuditEvent" not in {a.name for a in node.names}, f"line {node.lineno}"


def test_the_audit_service_offers_no_edit():
    public = {name for name, value in vars(audit).items() if not name.startswith("_")
              and callable(value) and value.__module__ == audit.__name__}
    assert public == {"record", "browse", "actor_name", "AuditFilter", "AuditPage"}


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'tampered'",
    "UPDATE audit_events SET after = NULL WHERE id = :id",
    "DELETE FROM audit_events",
    "DELETE FROM audit_events WHERE id = :id",
])
def test_the_database_refuses_to_change_the_trail(app, statement):
    with app.app_context():
        event = audit.record("cli:ops", "user.login", "user", 1)
        db.session.commit()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement), {"id": event.id})
            db.session.commit()
        db.session.rollback()
        assert db.session.scalars(db.select(AuditEvent.action)).all() == ["user.login"]


def test_the_orm_cannot_delete_an_event(app):
    with app.app_context():
        event = audit.record("cli:ops", "user.login", "user", 1)
        db.session.commit()
        db.session.delete(event)
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 1
