"""Fault drill: SIGKILL a gunicorn worker under submission load; no accepted report may be lost.

Starts gunicorn (production config, sync workers) on 127.0.0.1, posts reports to
/api/v1/reports from a few client threads for a bounded time, kills one worker with SIGKILL
part-way through and keeps the load going. Then it checks that every report answered with
201 is in the database (by tracking code), that no request got a 5xx, that the master
spawned a replacement worker and that /healthz still answers. Requests cut off by the kill
(connection reset, no response) are acceptable but counted. Exit status 1 on any failure.

    .venv/bin/python bench/kill_drill.py
    .venv/bin/python bench/kill_drill.py --database-url postgresql://postgres@127.0.0.1/bench
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.drill_server import (  # noqa: E402 (after the path is set)
    children,
    count_reports,
    free_port,
    healthz,
    kill_one_worker,
    stored_codes,
    wait_healthy,
)

CLAIMS = (
    "视频称某品牌电动车在地下车库充电时电池自燃",
    "A post says a robotaxi drove into a flooded underpass with passengers inside",
    "网传交通部将全面叫停车路云一体化试点",
    "A message claims over-the-air updates let the maker disable your brakes",
)


@dataclass
class Tally:
    """What the client threads saw; one lock guards it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    failure_times: list[float] = field(default_factory=list)


def post_report(port: int, n: int, thread: int) -> tuple[int, str | None]:
    body = json.dumps({
        "claim": f"{CLAIMS[n % len(CLAIMS)]} (drill {thread}-{n})",
        "explanation": "kill drill",
        "url": f"https://news.example.com/drill/{thread}/{n}",
        "platform": "weibo",
    })
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("POST", "/api/v1/reports", body,
                     {"Content-Type": "application/json", "Connection": "close"})
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    code = json.loads(data)["tracking_code"] if response.status == 201 else None
    return response.status, code


def client(port: int, thread: int, stop: threading.Event, tally: Tally, start: float,
           limit: int) -> None:
    for n in range(limit):
        if stop.is_set():
            return
        try:
            status, code = post_report(port, n, thread)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            with tally.lock:
                tally.failures[type(exc).__name__] += 1
                tally.failure_times.append(time.monotonic() - start)
            continue
        with tally.lock:
            tally.statuses[status] += 1
            if code:
                tally.codes.append(code)


def server_env(args, instance: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "RATELIMIT_STORAGE_URI") and not k.startswith("FLASK_")}
    env.update(
        APP_ENV="production", SECRET_KEY=secrets.token_hex(32), INSTANCE_PATH=str(instance),
        HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(args.workers),
        GUNICORN_WORKER_CLASS="sync", RATELIMIT_ENABLED="false",
        SCORING_ENABLED="true" if args.scoring == "on" else "false",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--scoring", choices=("on", "off"), default="off")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    parser.add_argument("--kill-at", type=float, default=6.0, help="seconds into the load")
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per client thread")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kill-drill-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(args, tmp / "instance", port)
    db_url = args.database_url or f"sqlite:///{tmp / 'instance' / 'reportdesk.sqlite3'}"
    log = tmp / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    tally, stop = Tally(), threading.Event()
    try:
        wait_healthy(base, proc, log)
        before = count_reports(db_url)  # gunicorn's master has migrated the database now
        deadline = time.monotonic() + 30  # the first worker answers before the last is forked
        while len(children(proc.pid)) < args.workers and time.monotonic() < deadline:
            time.sleep(0.1)
        workers_at_start = sorted(children(proc.pid))
        start = time.monotonic()
        threads = [threading.Thread(target=client, daemon=True,
                                    args=(port, t, stop, tally, start, args.max_requests))
                   for t in range(args.clients)]
        for thread in threads:
            thread.start()
        kill = kill_one_worker(proc.pid, args.kill_at, start, stop)
        stop.wait(max(0.0, start + args.duration - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        elapsed = time.monotonic() - start
        health = healthz(base)
        workers_at_end = sorted(children(proc.pid))
    finally:
        stop.set()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    missing = sorted(set(tally.codes) - stored_codes(db_url, tally.codes))
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    other = {s: n for s, n in tally.statuses.items() if s != 201 and s < 500}
    answered = sum(tally.statuses.values())
    failed = sum(tally.failures.values())
    master_lines = [line for line in log.read_text().splitlines()
                    if "SIGKILL" in line or "Booting worker" in line or "Worker (pid" in line]

    db = "PostgreSQL" if args.database_url else "SQLite file (WAL)"
    print(f"kill drill: gunicorn {args.workers} sync workers, APP_ENV=production, {db}, "
          f"{args.clients} client threads, {elapsed:.1f} s of load, CPUs {os.cpu_count()}")
    print(f"workers at start: {workers_at_start}")
    if "error" in kill:
        print(f"kill: {kill['error']}")
    else:
        respawn = f"{kill['respawn_s']:.2f} s" if kill["respawn_s"] is not None else "NEVER"
        print(f"SIGKILL worker {kill['victim']} at {kill['killed_at']:.2f} s; "
              f"replacement seen after {respawn}; workers now {kill['after']}")
    print(f"workers at end: {workers_at_end}")
    print(f"requests: {answered + failed}; answered: {answered} {dict(tally.statuses)}")
    near = [f"{t:.2f}" for t in tally.failure_times]
    print(f"failed without a response: {failed} {dict(tally.failures)} at seconds {near}")
    print(f"5xx: {server_errors}; other non-201: {other or 0}")
    print(f"/healthz after the kill: {health}")
    print(f"201'd reports found in the database: {len(tally.codes) - len(missing)} / "
          f"{len(tally.codes)} (missing: {len(missing)}{' ' if missing else ''}"
          f"{missing[:10] if missing else ''})")
    unanswered = count_reports(db_url) - before - len(tally.codes)
    print(f"stored but never answered (committed, then the connection died): {unanswered}")
    print("master log:")
    for line in master_lines:
        print("   ", line)

    problems = []
    if missing:
        problems.append(f"{len(missing)} reports answered 201 are not in the database")
    if server_errors:
        problems.append(f"{server_errors} responses were 5xx")
    if health != 200:
        problems.append(f"/healthz answered {health} after the kill")
    if "error" in kill or kill["respawn_s"] is None:
        problems.append("no replacement worker was spawned")
    if not tally.codes:
        problems.append("no report was accepted at all")
    shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT:", "FAIL: " + "; ".join(problems) if problems else "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
