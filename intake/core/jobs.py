"""The job runner: periodic jobs that feature packages add (add_periodic) and the Huey worker.

Huey (with Redis and psycopg behind its storage) loads only in the worker and make_huey:
the web workers and other `flask` commands never run a job.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup

if TYPE_CHECKING:
    from huey import Huey

from intake.core.extensions import db

ACTOR = "system:jobs"  # how the worker's changes appear in the audit trail
PERIODIC = "intake.periodic_jobs"  # app.extensions key: [(job, config key of its period)]
log = logging.getLogger(__name__)
jobs_cli = AppGroup("jobs", help="Run the background worker (make run starts it).")


def add_periodic(app: Flask, job: Callable[[], object], seconds_key: str) -> None:
    """Have the worker run `job` every app.config[seconds_key] seconds, in an app context."""
    app.extensions.setdefault(PERIODIC, []).append((job, seconds_key))


def make_huey(app: Flask) -> Huey:
    """Build the job store: SQLite in instance/ by default, Redis when JOBS_STORAGE_URI is set."""
    from huey import RedisHuey, SqliteHuey

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


def register_jobs(huey: Huey, app: Flask) -> None:
    """Register the periodic jobs the packages added, each run inside an application context."""
    for job, seconds_key in app.extensions.get(PERIODIC, []):
        huey.periodic_task(every(app.config[seconds_key]), retries=2, retry_delay=10,
                           name=job.__name__)(_in_context(app, job))


def _in_context(app: Flask, job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            steps = job()
            # A job that yields (a batch job) is committed after each step it yields.
            for _step in steps if isinstance(steps, Iterator) else ():
                db.session.commit()
            db.session.commit()  # the job is the unit of work: its operations only flush

    run.__name__ = job.__name__
    return run


@jobs_cli.command("worker")
def worker() -> None:
    """Run the job worker until stopped (SIGINT or SIGTERM): periodic jobs and retries."""
    from huey.consumer import Consumer, Scheduler

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
