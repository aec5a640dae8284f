"""Process and database helpers of the kill drill (bench/kill_drill.py).

Finding gunicorn's workers, killing one, waiting for health, and reading back which
accepted reports the database holds: the drill's checks, apart from its load and report.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from sqlalchemy import bindparam, create_engine, text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> set[int]:
    """Return the pids of a process's children, read from /proc (psutil is not installed)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def wait_healthy(base: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit(f"gunicorn did not become healthy:\n{log.read_text()[-3000:]}")


def healthz(base: str) -> int | str:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            return response.status
    except OSError as exc:
        return type(exc).__name__


def stored_codes(url: str, codes: list[str]) -> set[str]:
    """Return which of the tracking codes are in the reports table."""
    engine = create_engine(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url))
    query = text("SELECT tracking_code FROM reports WHERE tracking_code IN :codes").bindparams(
        bindparam("codes", expanding=True))
    found: set[str] = set()
    try:
        with engine.connect() as conn:
            for i in range(0, len(codes), 500):
                found.update(conn.scalars(query, {"codes": codes[i:i + 500]}))
    finally:
        engine.dispose()
    return found


def count_reports(url: str) -> int:
    engine = create_engine(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM reports")).scalar_one()
    finally:
        engine.dispose()


def kill_one_worker(master: int, at: float, start: float, stop: threading.Event) -> dict:
    """Sleep until `at` seconds into the run, SIGKILL one worker, wait for its replacement."""
    stop.wait(max(0.0, start + at - time.monotonic()))
    before = children(master)
    if not before:
        return {"error": "the master has no workers"}
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic() - start
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = children(master)
        if now - before:
            return {"victim": victim, "killed_at": killed_at, "before": sorted(before),
                    "after": sorted(now), "respawn_s": time.monotonic() - start - killed_at}
        time.sleep(0.05)
    return {"victim": victim, "killed_at": killed_at, "before": sorted(before),
            "after": sorted(children(master)), "respawn_s": None}
