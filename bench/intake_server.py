"""The gunicorn side of bench/intake.py: environment, database, server start and stop.

bench/noop_app.py (what gunicorn serves) imports BENCH_ROWS from here, not the wrk driver.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, text

ROOT = Path(__file__).resolve().parents[1]

# /bench/insert's table, created in the bench database only (never in the product schema).
BENCH_ROWS = Table("bench_rows", MetaData(), Column("id", Integer, primary_key=True),
                   Column("body", Text, nullable=False))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def server_env(args, instance: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "RATELIMIT_STORAGE_URI") and not k.startswith("FLASK_")}
    env.update(
        APP_ENV="production", SECRET_KEY=secrets.token_hex(32), INSTANCE_PATH=str(instance),
        HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(args.workers),
        GUNICORN_WORKER_CLASS="sync", RATELIMIT_ENABLED="false",
        SCORING_ENABLED="true",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def prepare_database(env: dict) -> str:
    """Migrate and make sure a model is active (else scoring would be a no-op)."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "setup-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([*flask, "model", "ensure-starter"], cwd=ROOT, env=env, text=True,
                          capture_output=True)
    if done.returncode:
        print(done.stdout + done.stderr, file=sys.stderr)
        return "on, but no model could be trained: nothing is scored"
    return "on (starter model active)"


def start_server(env: dict, log: Path, base: str) -> subprocess.Popen:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.noop_app:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit(f"gunicorn did not become healthy:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def create_bench_table(url: str) -> None:
    engine = create_engine(sqlalchemy_url(url))
    try:
        BENCH_ROWS.create(engine, checkfirst=True)
    finally:
        engine.dispose()


def count_reports(url: str, where: str = "") -> int:
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM reports {where}")).scalar_one()
    finally:
        engine.dispose()
