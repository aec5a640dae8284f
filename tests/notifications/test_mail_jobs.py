"""Mail and the job worker: the Procfile worker delivers, the daily purge clears the outbox."""

import os
import shlex
import signal
import subprocess
import time
from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Report, utcnow
from intake.hotline import calls
from intake.notifications.models import OutboxMessage

from .test_notifications import EN_CLAIM, ZH_CLAIM, _deliver, _outbox

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)


def _procfile_worker() -> list[str]:
    with open(os.path.join(ROOT, "Procfile"), encoding="utf-8") as fh:
        line = next(line for line in fh if line.startswith("worker:"))
    return shlex.split(line.split(":", 1)[1])


# The worker is another process: it reads only what was committed.
@pytest.mark.commits
def test_the_worker_make_run_starts_delivers_the_outbox(app, smtp, make_report, database_url,
                                                        tmp_path):
    code = make_report(claim=ZH_CLAIM, contact_email="zhang@example.cn", contact_consent=True)
    env = dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(tmp_path),
               REPORTDESK_MAIL_SERVER="127.0.0.1", REPORTDESK_MAIL_PORT=str(smtp.port),
               REPORTDESK_JOBS_TICK_SECONDS="1", REPORTDESK_JOBS_DELIVER_SECONDS="1")
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(_procfile_worker(), cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not smtp.sink.messages and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert smtp.sink.messages, log.read_text()[-3000:]
    assert smtp.sink.messages[0]["Subject"] == f"我们已收到您的举报 {code}"
    assert [m.status for m in _outbox(app)] == ["sent"]



def test_the_daily_purge_also_forgets_addresses_in_the_outbox(app, smtp, make_report):
    old_code = make_report(claim=EN_CLAIM, contact_email="old@example.com", contact_consent=True)
    make_report(claim=ZH_CLAIM, contact_email="new@example.cn", contact_consent=True)
    long_ago = utcnow() - timedelta(days=200)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(
            Report.tracking_code == old_code)).one()
        report.received_at = long_ago
        db.session.execute(db.update(OutboxMessage).where(OutboxMessage.report_id == report.id)
                           .values(created_at=long_ago))
        db.session.commit()
        calls.purge_contacts()  # what the worker runs daily; the worker commits the job
        db.session.commit()
    old, new = _outbox(app)
    assert (old.recipient, old.status) == (None, "cancelled")
    assert (new.recipient, new.status) == ("new@example.cn", "pending")
    assert _deliver(app).sent == 1 and smtp.sink.messages[0]["To"] == "new@example.cn"
