"""`flask cases ...`: maintenance of the case queue."""

import sys

import click
from flask.cli import AppGroup

from intake.cases import sla
from intake.core.extensions import db
from intake.users.commands import cli_actor

cases_cli = AppGroup("cases", help="Maintain the case queue.")


@cases_cli.command("reprioritise")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10_000),
              help="Cases recomputed per transaction.")
@click.option("--no-expire-claims", is_flag=True, help="Leave claims whose time ran out.")
def reprioritise(batch_size: int, no_expire_claims: bool) -> None:
    """Recompute priority, band and SLA of open cases so waiting raises them (run from cron)."""
    actor = cli_actor()
    if not no_expire_claims:
        released = sla.expire_claims(actor=actor)
        db.session.commit()
        click.echo(f"Released {len(released)} expired claim(s).")
    with click.progressbar(length=sla.open_case_count(), label="Reprioritising open cases",
                           file=sys.stderr) as bar:
        result, done = sla.Reprioritised(0, 0, 0), 0
        for result in sla.reprioritise_batches(actor=actor, batch_size=batch_size):
            db.session.commit()  # one transaction a batch
            bar.update(result.cases - done)
            done = result.cases
        db.session.commit()  # the run's audit event
    click.echo(f"Recomputed {result.cases} open case(s): {result.raised} rose, "
               f"{result.band_changes} changed band.")
