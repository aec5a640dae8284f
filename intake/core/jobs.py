"""The job runner: Huey periodic jobs (re-ranking, claim expiry, purges, mail) and its worker."""

import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer, Scheduler

from intake.cases import sla
from intake.core.extensions import db
from intake.hotline import calls
from intake.notifications import delivery as mail_delivery
from intake.notifications import messages as notifications
from intake.reports.upload_sweep import sweep_orphans

ACTOR = "system:jobs"  # how the worker's changes appear in the audit trail
log = logging.getLogger(__name__)
jobs_cli = AppGroup("jobs", help="Run the background worker (make run starts it).")


def make_huey(app: Flask) -> Huey:
    """Build the job store: SQLite in instance/ by default, Redis when JOBS_STORAGE_URI is set."""
    uri = app.config.get("JOBS_STORAGE_URI")
    if uri and uri.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("reportdesk", url=uri)
    path = uri.removeprefix("sqlite:///") if uri else os.path.join(app.instance_path,
                                                                    "jobs.sqlite3")
    return SqliteHuey("reportdesk", filename=path)


def every(seconds: float) -> Callable[[datetime], bool]:
    """Return a Huey schedule that is due once `seconds` have passed since it last ran."""
    last: list[datetime] = []

    def due(now: datetime) -> bool:
        # Remembered in the scheduler's memory: a restarted worker runs every job at once,
        # which is safe because every job is idempotent.
        if last and now - last[0] < timedelta(seconds=seconds) - timedelta(milliseconds=500):
            return False
        last[:] = [now]
        return True

    return due


def expire_and_reprioritise() -> None:
    """Release claims whose time ran out, then re-rank every open case."""
    released = sla.expire_claims(actor=ACTOR)
    result = sla.reprioritise(actor=ACTOR)
    log.info("released %d claim(s); recomputed %d case(s), %d rose",
             len(released), result.cases, result.raised)


def purge_contacts() -> None:
    """Remove contact details of reports older than CONTACT_RETENTION_DAYS."""
    days = current_app.config["CONTACT_RETENTION_DAYS"]
    count = calls.purge_contact(timedelta(days=days), ACTOR)
    # The outbox holds the same addresses: they go after the same time.
    notifications.forget_recipients(timedelta(days=days))
    db.session.commit()  # the job is the unit of work: reports and outbox forget together
    log.info("removed contact details from %d report(s) older than %d days", count, days)


def sweep_uploads() -> None:
    """Delete evidence files no report owns, older than an hour (a killed upload's leftovers)."""
    removed = sweep_orphans(current_app.config["UPLOAD_DIR"], timedelta(hours=1))
    log.info("removed %d evidence file(s) no report owns", len(removed))


def deliver_mail() -> None:
    """Send the outbox messages that are due (nothing when no mail server is configured)."""
    if notifications.mail_enabled():
        mail_delivery.deliver_due()


def register_jobs(huey: Huey, app: Flask) -> None:
    """Register the periodic jobs, each run inside an application context."""
    config = app.config
    schedule: list[tuple[Callable[[], None], float]] = [
        (expire_and_reprioritise, config["JOBS_REPRIORITISE_SECONDS"]),
        (purge_contacts, config["JOBS_PURGE_SECONDS"]),
        (sweep_uploads, config["JOBS_PURGE_SECONDS"]),
    ]
    if config.get("MAIL_SERVER"):  # no server, no mail queued: nothing to deliver
        schedule.append((deliver_mail, config["JOBS_DELIVER_SECONDS"]))
    for job, seconds in schedule:
        huey.periodic_task(every(seconds), retries=2, retry_delay=10,
                           name=job.__name__)(_in_context(app, job))


def _in_context(app: Flask, job: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            job()

    run.__name__ = job.__name__
    return run


@jobs_cli.command("worker")
def worker() -> None:
    """Run the job worker until stopped (SIGINT or SIGTERM): periodic jobs and retries."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    huey = make_huey(app)
    register_jobs(huey, app)

    class TickScheduler(Scheduler):
        # Huey looks at periodic jobs once a minute; a shorter tick lets tests (and small
        # periods) run without waiting, while long periods still run once each.
        periodic_task_seconds = app.config["JOBS_TICK_SECONDS"]

    class TickConsumer(Consumer):
        scheduler_class = TickScheduler

    # Huey logs every run of every job at INFO (a line every few seconds): keep its start-up
    # lines and its warnings; the jobs themselves log what they changed.
    logging.getLogger("huey").setLevel(logging.WARNING)
    logging.getLogger("huey.consumer").setLevel(app.config["LOG_LEVEL"])
    logging.getLogger("huey.consumer.Scheduler").setLevel(logging.WARNING)
    logging.getLogger("intake").setLevel(app.config["LOG_LEVEL"])
    click.echo(f"Job worker started (pid {os.getpid()}), storage {type(huey.storage).__name__}.")
    TickConsumer(huey, workers=app.config["JOBS_WORKERS"], worker_type="thread").run()
