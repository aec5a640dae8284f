"""Redis stops: intake keeps taking reports with per-process limits, and /healthz says so.

The test starts a Redis of its own (TEST_REDIS_PORT, or any free port) and stops it.
"""

import os
import shutil
import subprocess
import time

import pytest
import redis
from ports import free_port

from intake.core.extensions import limiter

EN = {"Accept-Language": "en"}
REDIS_SERVER = shutil.which("redis-server")



@pytest.fixture
def own_redis(tmp_path):
    """Start a throw-away redis-server; yield (url, stop function)."""
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    port = int(os.environ.get("TEST_REDIS_PORT") or free_port())
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=10)

    yield f"redis://127.0.0.1:{port}/0", stop
    if proc.poll() is None:
        stop()
    # The limiter is one object per process: leave no "store is dead" state to later tests.
    limiter._storage_dead = False


def test_reports_are_still_accepted_when_redis_stops(app, app_factory, own_redis, form_data,
                                                     api_body, stored, caplog):
    url, stop_redis = own_redis
    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=url,
                          RATELIMIT_REPORT="3 per minute")
    client = limited.test_client()
    assert client.post("/report", data=form_data(), headers=EN).status_code == 303
    assert client.get("/healthz").get_json()["rate_limits"] == "ok"

    stop_redis()

    sent = [client.post("/report", data=form_data(), headers=EN).status_code for _ in range(4)]
    assert sent == [303, 303, 303, 429]  # the limit holds, counted in this process now
    assert client.post("/api/v1/reports", json=api_body(), headers=EN).status_code == 201
    assert client.get("/status", headers=EN).status_code == 200
    assert client.get("/staff/login", headers=EN).status_code == 200
    assert stored(limited)["reports"] == 1 + 3 + 1
    assert "Rate limit storage unreachable - falling back to in-memory storage" in caplog.text
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["rate_limits"] == "unreachable"
    assert "limits are per process" in caplog.text
