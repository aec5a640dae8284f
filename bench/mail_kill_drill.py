"""Fault drill: SIGKILL the job worker while it delivers mail; no message lost, few sent twice.

Fills the outbox with N messages, starts a real SMTP server (aiosmtpd, each message takes
--smtp-delay seconds to accept) and the job worker with the Procfile's command line, then
SIGKILLs the worker --kills times while it sends, starting a new one each time. At the end
every message must have arrived at least once and be marked sent; duplicates must stay within
the documented at-least-once bound (one per message in flight at a kill: JOBS_WORKERS per
kill). Exit status 1 on any failure.

    .venv/bin/python bench/mail_kill_drill.py
    .venv/bin/python bench/mail_kill_drill.py --messages 300 --kills 5
    .venv/bin/python bench/mail_kill_drill.py --database-url postgresql://postgres@127.0.0.1/bench
"""

import argparse
import asyncio
import os
import platform
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intake import create_app  # noqa: E402 (after the path is set
from intake.core.extensions import db  # noqa: E402
from intake.core.models import Case, Report  # noqa: E402
from intake.core.schema import upgrade_schema  # noqa: E402
from intake.notifications.models import OutboxMessage  # noqa: E402
from intake.reports.tracking import new_code  # noqa: E402

WORKERS = 2  # JOBS_WORKERS: messages one worker may have in flight at once


class Sink:
    """Counts arrivals per Message-ID; each message takes `delay` seconds to accept."""

    def __init__(self, delay: float) -> None:
        self.delay, self.arrivals = delay, Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        await asyncio.sleep(self.delay)
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.arrivals[line.split(":", 1)[1].strip()] += 1
                break
        return "250 Message accepted"


def port_in(first: int, last: int) -> int:
    for port in range(first, last + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {first}-{last}")


def fill_outbox(app, count: int) -> None:
    with app.app_context():
        for i in range(count):
            case = Case(status="resolved", topic="battery-safety", report_count=1)
            report = Report(tracking_code=new_code(), channel="web", language="zh",
                            claim=f"网传某品牌电动车充电自燃 {i}", case=case,
                            contact_email=f"reader{i}@example.net", contact_consent=True)
            db.session.add_all([case, report])
            db.session.flush()
            db.session.add(OutboxMessage(
                kind="decision", report_id=report.id, recipient=report.contact_email,
                language="zh", subject=f"您的举报 {report.tracking_code} 已有结论：虚假",
                body_text="处理理由说明 …" * 20, body_html="<p>处理理由说明</p>" * 20))
        db.session.commit()


def start_worker(env: dict, log) -> subprocess.Popen:
    line = next(x for x in (ROOT / "Procfile").read_text().splitlines()
                if x.startswith("worker:"))
    return subprocess.Popen(shlex.split(line.split(":", 1)[1]), cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def statuses(app) -> Counter:
    with app.app_context():
        rows = db.session.execute(db.select(OutboxMessage.status, db.func.count())
                                  .group_by(OutboxMessage.status)).all()
        db.session.remove()
    return Counter(dict(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--smtp-delay", type=float, default=0.02)
    parser.add_argument("--lease", type=int, default=3, help="MAIL_LEASE_SECONDS")
    parser.add_argument("--database-url")
    parser.add_argument("--ports", default="8200-8249", help="range for the SMTP server")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mail-kill-drill-"))
    url = args.database_url or f"sqlite:///{workdir / 'drill.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False}, instance_path=str(workdir))
    with app.app_context():
        upgrade_schema()
        db.session.execute(db.delete(OutboxMessage))
        db.session.commit()
    fill_outbox(app, args.messages)
    sink = Sink(args.smtp_delay)
    port = port_in(*map(int, args.ports.split("-")))
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    env = dict(os.environ, DATABASE_URL=url, INSTANCE_PATH=str(workdir),
               REPORTDESK_MAIL_SERVER="127.0.0.1", REPORTDESK_MAIL_PORT=str(port),
               REPORTDESK_MAIL_LEASE_SECONDS=str(args.lease), REPORTDESK_MAIL_BATCH="20",
               REPORTDESK_JOBS_WORKERS=str(WORKERS), REPORTDESK_JOBS_TICK_SECONDS="1",
               REPORTDESK_JOBS_DELIVER_SECONDS="1", PYTHONUNBUFFERED="1")
    print(f"mail kill drill: {args.messages} messages, {args.kills} SIGKILLs, SMTP "
          f"{args.smtp_delay * 1000:.0f} ms/message, lease {args.lease} s, "
          f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    started = time.monotonic()
    with open(workdir / "worker.log", "ab") as log:
        worker = start_worker(env, log)
        for kill in range(args.kills):
            # Kill once a few more messages went out, i.e. in the middle of a batch.
            target = (kill + 1) * args.messages // (args.kills + 1)
            while sum(sink.arrivals.values()) < target and time.monotonic() - started < 300:
                time.sleep(0.005)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            print(f"  SIGKILL {kill + 1} after {sum(sink.arrivals.values())} arrivals")
            worker = start_worker(env, log)
        while statuses(app)["sent"] < args.messages and time.monotonic() - started < 300:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    smtp.stop()

    with app.app_context():
        expected = {f"outbox-{m.id}." for m in db.session.scalars(db.select(OutboxMessage))}
    arrived = {mid.strip("<>").split("@")[0].split(".")[0] + "." for mid in sink.arrivals}
    duplicates = sum(n - 1 for n in sink.arrivals.values())
    bound = args.kills * WORKERS
    final = statuses(app)
    print(f"arrived {len(arrived)} of {args.messages} distinct, {sum(sink.arrivals.values())} "
          f"deliveries, {duplicates} duplicate(s) (bound {bound}), outbox {dict(final)}, "
          f"{elapsed:.1f} s")
    failures = []
    if expected - arrived:
        failures.append(f"{len(expected - arrived)} message(s) never arrived")
    if final["sent"] != args.messages:
        failures.append(f"only {final['sent']} marked sent")
    if duplicates > bound:
        failures.append(f"{duplicates} duplicates exceed the bound {bound}")
    for failure in failures:
        print("FAIL:", failure)
    print("OK" if not failures else f"log: {workdir / 'worker.log'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
