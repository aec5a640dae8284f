"""The gunicorn servers the browser journeys drive, started once per pytest worker and kept.

Starting gunicorn (~2.5 s) and stopping it (~3 s: a gthread worker keeps Chromium's
kept-alive connections up to 2 s, then each process spends about a second of CPU in Python's
own shutdown after its last request, seen with strace) cost more than most journeys, once
per module. The servers differ only by the environment a module sets
(SERVER_ENV, e.g. a pinned CLOCK_NOW), so one server per distinct environment serves every
module that asks for it. What a server keeps between modules: nothing of the database (the
tables are emptied after every test), the active model cache (see conftest's register_model),
and files under its own instance folder (uploads nothing reads back once their rows are gone).
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]
# The app's request log line, "intake.requests: GET /path 200 1.0ms" in its own format and
# "[intake.requests] GET /path 200 1.0ms" in alembic.ini's, which gunicorn's master sets up
# when it migrates on start and its workers inherit.
REQUEST_LINE = re.compile(r"intake\.requests\S* \S+ \S+ (\d{3}) .*")
Key = tuple[tuple[str, str], ...]



@dataclass
class Server:
    """One running gunicorn, its log, and how far that log was searched for 5xx answers."""

    url: str
    proc: subprocess.Popen
    instance: Path
    checked: int = 0
    models: dict[int, str] = field(default_factory=dict)  # model row id -> artifact sha256

    @property
    def log(self) -> Path:
        return self.instance / "gunicorn.log"

    @property
    def uploads(self) -> Path:
        """Where the server keeps evidence (its default): a test's app may store there too."""
        return self.instance / "uploads"

    def new_errors(self) -> list[str]:
        """Return the 5xx answers logged since the last check."""
        return [line for line, status in self.new_answers() if status.startswith("5")]

    def new_answers(self) -> list[tuple[str, str]]:
        """Return (line, status) of each request logged since the last check.

        Whole lines only while the server runs; after it stopped, everything left.
        """
        with open(self.log, "rb") as handle:
            handle.seek(self.checked)
            data = handle.read()
        # A line still being written is searched next time, never cut in two.
        complete = data if self.proc.poll() is not None else data[: data.rfind(b"\n") + 1]
        self.checked += len(complete)
        found = REQUEST_LINE.finditer(complete.decode(errors="replace"))
        return [(match.group(0), match.group(1)) for match in found]

    def workers_exited(self) -> bool:
        """Whether every worker that booted has logged its exit (its last request is done)."""
        text = self.log.read_text(errors="replace")
        return text.count("Worker exiting") >= text.count("Booting worker") > 0

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.proc.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer /healthz within {timeout}s:\n{self.tail()}")


class Servers:
    """The session's servers, one per distinct extra environment; stopped together at the end."""

    def __init__(self, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.database_url = database_url
        self.tmp_path_factory = tmp_path_factory
        self.running: dict[Key, Server] = {}

    def get(self, extra_env: dict[str, str], own: str | None = None) -> Server:
        """Return the server for this environment, starting it on first use.

        `own` (a module name) gives that module a server nobody else shares.
        """
        key: Key = tuple(sorted(extra_env.items())) + ((("own", own),) if own else ())
        server = self.running.get(key)
        if server is None:
            server = self.running[key] = self._start(extra_env)
        elif server.proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.proc.returncode} between modules:\n"
                        f"{server.tail()}")
        return server

    def _start(self, extra_env: dict[str, str]) -> Server:
        instance = self.tmp_path_factory.mktemp("browser-instance")
        port = free_port()
        env = dict(
            os.environ,
            PORT=str(port),
            HOST="127.0.0.1",
            DATABASE_URL=self.database_url,
            INSTANCE_PATH=str(instance),
            RATELIMIT_ENABLED="false",
            WEB_CONCURRENCY="2",
            PYTHONUNBUFFERED="1",
            # Tests register a model after the server started: ask the database on every report.
            MODEL_CHECK_SECONDS="0",
            **extra_env,
        )
        with open(instance / "gunicorn.log", "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped with its workers
            )
        server = Server(f"http://127.0.0.1:{port}", proc, instance)
        try:
            server.wait_healthy()
        except BaseException:
            self._stop([server])
            raise
        return server

    def stop(self, server: Server) -> list[str]:
        """Stop one server; return the 5xx lines it logged since the last check."""
        self.running = {k: s for k, s in self.running.items() if s is not server}
        return self._stop([server])

    def stop_all(self) -> list[str]:
        """Stop every server at once (their shutdowns overlap); return unchecked 5xx lines."""
        servers, self.running = list(self.running.values()), {}
        return self._stop(servers)

    @staticmethod
    def _stop(servers: list[Server]) -> list[str]:
        # Graceful, as in production: each worker finishes its requests (logging them) and
        # logs "Worker exiting". What follows is Python freeing each process's memory, about
        # a second of CPU per process (3 servers: 5.3 s, against 0.25 s without it, load 7):
        # nothing a test reads, so the process group is killed once every worker has exited.
        for server in servers:
            server.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 25
        errors = []
        for server in servers:
            while server.proc.poll() is None and not server.workers_exited():
                if time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait()
            errors += server.new_errors()
        return errors
