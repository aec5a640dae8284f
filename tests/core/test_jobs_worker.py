"""`make run`'s job worker: claims expire and cases re-rank by themselves, without cron."""

import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from ports import free_port

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User

# The worker and the runner are other processes: they read only what was committed.
pytestmark = pytest.mark.commits

ROOT = Path(__file__).resolve().parents[2]


def _procfile_command(name: str) -> list[str]:
    """The command line `make run` starts for a Procfile process."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return shlex.split(line.split(":", 1)[1])
    raise AssertionError(f"no {name} process in the Procfile")


def _env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(instance),
                PYTHONUNBUFFERED="1", RATELIMIT_ENABLED="false", **extra)


def _wait(check, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(f"not seen within {timeout}s:\n{log.read_text()[-4000:]}")


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("the process did not stop on SIGTERM")


def _case(app, case_id: int) -> Case:
    with app.app_context():
        return db.session.get_one(Case, case_id)


def test_the_worker_expires_claims_and_reranks_without_cron(app, make_case, make_user,
                                                            database_url, tmp_path):
    make_user("mona")
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one().id
    stale = make_case(claimed_by_id=mona, claimed_until=utcnow() - timedelta(minutes=1),
                      status="under_review")
    waiting = make_case(age_hours=24 * 5, priority=1.0, band="P4")
    log = tmp_path / "worker.log"
    env = _env(database_url, tmp_path / "instance", REPORTDESK_JOBS_TICK_SECONDS="1",
               REPORTDESK_JOBS_REPRIORITISE_SECONDS="2")
    with open(log, "wb") as out:
        proc = subprocess.Popen(_procfile_command("worker"), cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait(lambda: _case(app, stale).claimed_by_id is None, 60, proc, log)
        _wait(lambda: (_case(app, waiting).priority or 0) > 1.0, 30, proc, log)
        with app.app_context():
            runs = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "queue.reprioritise"))
        first = runs
        # A period of 2 s runs again by itself: the job is periodic, not a one-off at start.
        _wait(lambda: _count_runs(app) > first, 30, proc, log)
    finally:
        assert _stop(proc) is not None
    assert _case(app, stale).status == "open"
    assert _case(app, waiting).priority_components["waiting"] > 0
    with app.app_context():
        expired = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.claim_expired")).one()
    assert expired.actor_name == "system:jobs" and expired.target_id == str(stale)


def _count_runs(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "queue.reprioritise")) or 0



def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_runs_runner_starts_and_stops_web_and_worker_together(app, database_url, tmp_path):
    port = free_port()
    log = tmp_path / "honcho.log"
    env = _env(database_url, tmp_path / "instance", WEB_CONCURRENCY="1")
    honcho = ROOT / ".venv" / "bin" / "honcho"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(honcho), "start", "-f", "Procfile", "-p", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as res:
                return res.status == 200
        except OSError:
            return False

    try:
        _wait(healthy, 60, proc, log)
        _wait(lambda: "Job worker started" in log.read_text(), 30, proc, log)
    finally:
        _stop(proc)
    pids = [int(pid) for pid in re.findall(r"SIGTERM to \S+ \(pid (\d+)\)", log.read_text())]
    assert len(pids) == 2, log.read_text()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids), log.read_text()
    assert not healthy()
