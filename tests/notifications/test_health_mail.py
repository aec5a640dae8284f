"""/healthz reports the mail outbox: not configured, its backlog, degraded; never opens SMTP."""

import socket
from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Report, utcnow
from intake.notifications.models import OutboxMessage


@pytest.fixture
def listener():
    """A TCP port that listens but never answers: any connection attempt would queue on it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


@pytest.fixture
def mail_app(app_factory, listener):
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1])


def _messages(app, code: str, *rows: tuple[str, int]) -> None:
    """Add outbox messages for the report, each (status, minutes since written)."""
    with app.app_context():
        report_id = db.session.scalars(db.select(Report.id).where(
            Report.tracking_code == code)).one()
        for status, minutes in rows:
            db.session.add(OutboxMessage(
                kind="receipt", report_id=report_id, recipient="alex@example.com",
                language="en", subject="s", body_text="t", body_html="h", status=status,
                created_at=utcnow() - timedelta(minutes=minutes), next_attempt_at=utcnow()))
        db.session.commit()


def _health(app) -> dict:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    return response.get_json()


def test_without_a_mail_server_mail_is_not_configured(app):
    health = _health(app)
    assert health["mail"] == {"state": "not configured"} and health["status"] == "ok"


def test_an_empty_outbox_is_ok_and_no_smtp_connection_is_made(mail_app, listener):
    for _ in range(3):
        health = _health(mail_app)
        assert health["status"] == "ok"
        assert health["mail"] == {"state": "ok", "waiting": 0, "dead": 0,
                                  "oldest_waiting_minutes": None}
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected to the mail server


@pytest.mark.parametrize("rows, state, waiting, dead", [
    ([("pending", 2), ("pending", 14), ("sent", 600)], "ok", 2, 0),
    ([("pending", 2), ("pending", 16)], "degraded", 2, 0),  # waited longer than 15 minutes
    ([("dead", 300), ("pending", 1)], "degraded", 1, 1),  # a dead letter
    ([("cancelled", 300), ("sent", 300)], "ok", 0, 0),
])
def test_the_backlog_and_when_it_degrades_the_service(mail_app, make_report, rows, state,
                                                      waiting, dead):
    code = make_report()
    _messages(mail_app, code, *rows)
    health = _health(mail_app)
    assert health["mail"]["state"] == state
    assert (health["mail"]["waiting"], health["mail"]["dead"]) == (waiting, dead)
    assert health["status"] == ("degraded" if state == "degraded" else "ok")
    if waiting:
        assert health["mail"]["oldest_waiting_minutes"] >= 1
