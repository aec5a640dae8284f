"""Browser fixtures: the real app under gunicorn, driven by Debian's Chromium via Playwright."""

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.core.extensions import db
from intake.triage.models import ModelVersion

from .servers import Server, Servers
from .steps import STEP_SECONDS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI") == "true"
# The test machines have no internet: keep Chromium from phoning home and stalling.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_servers(database_url, tmp_path_factory):
    """This pytest worker's gunicorn servers, one per distinct SERVER_ENV, stopped at the end."""
    servers = Servers(database_url, tmp_path_factory)
    yield servers
    errors = servers.stop_all()
    if errors:
        pytest.fail("a server answered with 5xx after its last module's check:\n"
                    + "\n".join(errors))


@pytest.fixture(scope="module")
def browser_server(browser_servers, request) -> Iterator[Server]:
    """The gunicorn (production config file) this module's journeys drive.

    A module may set SERVER_ENV (e.g. a pinned CLOCK_NOW): modules with the same one share a
    server. OWN_SERVER = True gives a module a server of its own, stopped after it. Either
    way the module fails if any answer since the last check on that server was a 5xx.
    """
    own = request.module.__name__ if getattr(request.module, "OWN_SERVER", False) else None
    server = browser_servers.get(getattr(request.module, "SERVER_ENV", {}), own=own)
    yield server
    errors = browser_servers.stop(server) if own else server.new_errors()
    if errors:
        pytest.fail("the server answered with 5xx:\n" + "\n".join(errors))


@pytest.fixture(scope="module")
def live_server(browser_server) -> str:
    """The base URL of this module's server."""
    return browser_server.url


@pytest.fixture
def register_model(register_model, browser_server):
    """Register a model as the shared fixture does, refusing a swap the server cannot see.

    Each worker caches the active model by its row id; once the tables are emptied, SQLite
    hands the same id out again, so other bytes under an id a server already saw would leave
    its workers scoring with the old model. A module that needs that asks for OWN_SERVER.
    """

    def register(app, blob: bytes, version: str) -> None:
        register_model(app, blob, version)
        with app.app_context():
            row_id = db.session.scalar(
                db.select(ModelVersion.id).where(ModelVersion.version == version))
        digest = hashlib.sha256(blob).hexdigest()
        if browser_server.models.setdefault(row_id, digest) != digest:
            pytest.fail(f"model row {row_id} held other bytes on this server before: "
                        "set OWN_SERVER = True in the module")

    return register


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One Chromium for the session; each test gets a fresh tab with no cookies (`page`)."""
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
def page(browser_servers, browser, live_server):
    """A fresh tab with no cookies, so every test starts in the browser's own language.

    The servers come first so they stop last: Chromium closed, no kept-alive connection
    holds a stopping gthread worker (gunicorn lets them linger up to 2 s).
    """
    browser.clear_cookies()
    tab = browser.new_page()
    tab.set_default_timeout(STEP_SECONDS * 1000)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
