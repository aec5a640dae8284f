"""Browser fixtures: the real app under gunicorn, driven by Debian's Chromium via Playwright."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI") == "true"
# The test machines have no internet: keep Chromium from phoning home and stalling.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer /healthz within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def live_server(database_url, tmp_path_factory, request):
    """Start gunicorn with the production config file on a free port; yield its base URL.

    A test module may set SERVER_ENV (e.g. a pinned CLOCK_NOW) for its own server.
    """
    instance = tmp_path_factory.mktemp("browser-instance")
    port = _free_port()
    env = dict(
        os.environ,
        PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance),
        RATELIMIT_ENABLED="false",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
        # Tests register a model after the server started: ask the database on every report.
        MODEL_CHECK_SECONDS="0",
        **getattr(request.module, "SERVER_ENV", {}),
    )
    log = instance / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    errors = re.findall(r"intake\.requests: \S+ \S+ 5\d\d .*", log.read_text())
    if errors:
        pytest.fail("the server answered with 5xx:\n" + "\n".join(errors))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        # A persistent context is the only way to give Chromium a user data dir of our own.
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            locale="en-US", viewport={"width": 1024, "height": 800},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh tab with no cookies, so every test starts in the browser's own language."""
    browser.clear_cookies()
    tab = browser.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
