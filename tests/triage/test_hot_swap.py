"""Promotion reaches every gunicorn worker within the check interval, with no failed request."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ports import free_port

from intake.core.extensions import db
from intake.core.models import Report

# gunicorn workers are other processes: they read only what was committed.
pytestmark = pytest.mark.commits

ROOT = Path(__file__).resolve().parents[2]
CHECK_SECONDS = 2.0
LOAD_ALLOWANCE = 10.0  # reading and verifying an artifact on a busy 2-core machine



def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=15) as response:
        assert response.status == 200
        return json.loads(response.read())


def _post_report(url: str, n: int) -> int:
    body = json.dumps({"claim": f"Viral video: an EV battery caught fire while charging #{n}"})
    request = urllib.request.Request(url + "/api/v1/reports", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status


@pytest.fixture
def env(database_url, tmp_path):
    return dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(tmp_path),
                RATELIMIT_ENABLED="false", SCORING_ENABLED="true", WEB_CONCURRENCY="2",
                MODEL_CHECK_SECONDS=str(CHECK_SECONDS), PYTHONUNBUFFERED="1", FLASK_APP="wsgi")


@pytest.fixture
def server(app, add_version, new_kind_blob, env, tmp_path):
    """gunicorn with two sync workers on the test database, v-one active, v-two registered."""
    add_version("v-one")
    add_version("v-two", new_kind_blob, activate=False)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
            env=dict(env, PORT=str(port), HOST="127.0.0.1"), stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                _get(url + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert " 500 " not in log.read_text(), log.read_text()[-3000:]


class Traffic:
    """Several clients hitting /healthz and the report API until stopped; records everything."""

    def __init__(self, url: str, clients: int = 4) -> None:
        self.url, self.stop = url, threading.Event()
        self.health: list[tuple[float, int, str]] = []  # (time, pid, model)
        self.errors: list[str] = []
        self.posted = 0
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]

    def _run(self, index: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                if index == 0 and n % 2:
                    assert _post_report(self.url, n) == 201
                    self.posted += 1
                else:
                    body = _get(self.url + "/healthz")
                    self.health.append((time.time(), body["pid"], body["model"]))
            except Exception as exc:  # every failure counts, whatever its kind
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def pids(self, model: str, after: float = 0.0) -> dict[int, float]:
        first: dict[int, float] = {}
        for at, pid, seen in list(self.health):
            if seen == model and at >= after:
                first.setdefault(pid, at)
        return first

    def __enter__(self) -> "Traffic":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _cli(app, *args: str) -> None:
    """Run `flask model ...` in this process: it commits, the workers read only the database.

    A `flask` process of its own would spend 2-3 s (more on a busy machine) importing before
    it does anything, twice per drill, and the drill is about the workers, not that start.
    """
    done = app.test_cli_runner().invoke(args=["model", *args])
    assert done.exit_code == 0, done.output


def _switched(traffic: Traffic, version: str, since: float) -> float:
    """Wait until both workers answer with the version; return when the last one did."""
    assert _wait_for(lambda: len(traffic.pids(version, after=since)) == 2,
                     CHECK_SECONDS + LOAD_ALLOWANCE), traffic.health[-10:]
    return max(traffic.pids(version, after=since).values())


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def test_each_worker_loads_the_model_before_its_first_request(server, tmp_path):
    # The fixture's one /healthz reached one worker; the other has had no request, yet both
    # load v-one as they start (gunicorn.conf.py post_worker_init), so no client waits.
    log = tmp_path / "gunicorn.log"
    assert _wait_for(lambda: log.read_text().count("loaded model v-one") == 2, 30), \
        log.read_text()[-3000:]


def test_promote_and_rollback_switch_both_workers_without_a_failed_request(app, server):
    with Traffic(server) as traffic:
        assert _wait_for(lambda: len(traffic.pids("v-one")) == 2, 60), \
            "both workers answer with v-one before the promotion"
        _cli(app, "promote", "v-two")
        promoted = time.time()
        on_two = _switched(traffic, "v-two", promoted)
        time.sleep(CHECK_SECONDS)  # keep the stream going on the new version
        rollback_started = time.time()
        _cli(app, "rollback")
        rolled_back = time.time()
        on_one = _switched(traffic, "v-one", rolled_back)
        time.sleep(CHECK_SECONDS)
    assert traffic.errors == []
    print(f"both workers on the new version {on_two - promoted:.1f} s after `promote` returned, "
          f"back on the old one {on_one - rolled_back:.1f} s after `rollback` returned")
    assert traffic.posted > 0
    with app.app_context():
        rows = db.session.execute(db.select(Report.received_at, Report.model_version)).all()
    # Every report was scored; between the switches only v-two scored, after them only v-one.
    assert rows and all(version in ("v-one", "v-two") for _at, version in rows)
    middle = {v for at, v in rows if _utc(on_two) < at < _utc(rollback_started)}
    after = {v for at, v in rows if at > _utc(on_one)}
    assert middle == {"v-two"} and after == {"v-one"}
