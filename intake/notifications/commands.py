"""`flask notifications ...`: see the outbox and send dead messages again."""

import click
from flask.cli import AppGroup

from intake.core.extensions import db
from intake.notifications import delivery as mail_delivery
from intake.notifications.models import STATUSES
from intake.users.commands import cli_actor

notifications_cli = AppGroup("notifications", help="Reporters' mail: the outbox.")


@notifications_cli.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only messages in this state.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
def list_messages(status: str | None, limit: int) -> None:
    """List outbox messages, newest first, with the counts per state."""
    counts = mail_delivery.counts()
    click.echo("  ".join(f"{name}: {counts.get(name, 0)}" for name in STATUSES))
    for message in mail_delivery.listing(status, limit):
        click.echo(f"{message.id}\t{message.status}\t{message.kind}\t{message.language}\t"
                   f"attempts={message.attempts}\t{message.created_at:%Y-%m-%d %H:%M}\t"
                   f"{message.last_error or ''}")


@notifications_cli.command("retry")
@click.argument("message_ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Send every dead message again.")
def retry(message_ids: tuple[int, ...], all_dead: bool) -> None:
    """Put dead messages back in the queue (the IDs given, or --all-dead)."""
    if not message_ids and not all_dead:
        raise click.UsageError("Give message IDs (see `notifications list --status dead`) "
                               "or --all-dead.")
    count = mail_delivery.retry(None if all_dead else list(message_ids), cli_actor())
    db.session.commit()
    click.echo(f"{count} dead message(s) will be sent again.")
