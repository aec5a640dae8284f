"""`flask reporters ...`: suspend and lift reporter keys for misuse (audited)."""

import click
from flask.cli import with_appcontext

from intake.core.clock import format_local
from intake.core.commands import run_unit
from intake.misuse import suspensions
from intake.users.commands import cli_actor


@click.group("reporters")
def reporters_cli() -> None:
    """Reporters, known only by the keyed hash of their contact or address."""


@reporters_cli.command("suspend")
@click.argument("key")
@click.option("--reason", required=True, help="Why (misuse); kept in the audit trail.")
@with_appcontext
def suspend(key: str, reason: str) -> None:
    """Suspend reporter KEY (or a unique prefix of it): their reports are still stored,
    marked, and rank last; the reporter is not told."""
    done = run_unit(lambda: suspensions.suspend(suspensions.resolve_key(key), reason, cli_actor()),
                    suspensions.SuspensionError)
    click.echo(f"Suspended reporter {suspensions.shown(done.key)}… ({done.reranked} open "
               "cases re-ranked) until `flask reporters lift`.")


@reporters_cli.command("lift")
@click.argument("key")
@with_appcontext
def lift(key: str) -> None:
    """Lift the suspension of reporter KEY (or a unique prefix of it)."""
    done = run_unit(lambda: suspensions.lift(suspensions.resolve_key(key), cli_actor()),
                    suspensions.SuspensionError)
    click.echo(f"Lifted the suspension of reporter {suspensions.shown(done.key)}… "
               f"({done.reranked} open cases re-ranked).")


@reporters_cli.command("list-suspended")
@with_appcontext
def list_suspended() -> None:
    """List suspended reporter keys: when, and why."""
    rows = suspensions.list_suspended()
    if not rows:
        click.echo("No reporter is suspended.")
        return
    click.echo(f"{'key':<34} {'since':<16}  reason")
    for row in rows:
        click.echo(f"{row.reporter_key:<34} {format_local(row.suspended_at):<16}  {row.reason}")
