"""`flask partners ...`: trusted partners and their API keys (recorded in the audit trail)."""

import click
from flask.cli import with_appcontext

from intake.core.clock import format_local
from intake.core.commands import run_unit
from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case, Report
from intake.partners import operations as partners
from intake.triage import scoring as triage
from intake.users.commands import cli_actor


def _rerank(partner) -> int:
    """Recompute the priority of the open cases the partner reported in."""
    cases = db.session.scalars(db.select(Case).where(
        Case.status.in_(OPEN_STATUSES),
        Case.id.in_(db.select(Report.case_id).where(Report.partner_id == partner.id))))
    count = 0
    for case in cases:
        triage.refresh_case(case)
        count += 1
    db.session.commit()
    return count


@click.group("partners")
def partners_cli() -> None:
    """Trusted partners that send reports through the API with their own key."""


@partners_cli.command("create")
@click.argument("name")
@with_appcontext
def create(name: str) -> None:
    """Add partner NAME and print its API key (shown this once only)."""
    partner, key = run_unit(lambda: partners.create_partner(name, cli_actor()),
                            partners.PartnerError)
    click.echo(f"Created partner {partner.name} (key {partner.key_prefix}…).")
    click.echo("Give the partner this key now; it is not stored and cannot be shown again:")
    click.echo(key)


@partners_cli.command("list")
@with_appcontext
def list_partners() -> None:
    """List partners: created, last used, reports sent and state."""
    rows = partners.list_partners()
    if not rows:
        click.echo("No partners yet: add one with `flask partners create NAME`.")
        return
    click.echo(f"{'name':<24} {'key':<12} {'created':<16} {'last used':<16} "
               f"{'reports':>7}  state")
    for row in rows:
        p = row.partner
        last = format_local(p.last_used_at) if p.last_used_at else "never"
        state = p.state + (f" ({p.suspended_reason})" if p.state == "suspended" else "")
        click.echo(f"{p.name:<24} {p.key_prefix + '…':<12} {format_local(p.created_at):<16} "
                   f"{last:<16} {row.reports_sent:>7}  {state}")


@partners_cli.command("revoke")
@click.argument("name")
@with_appcontext
def revoke(name: str) -> None:
    """Revoke partner NAME's key for good; its reports stay."""
    partner = run_unit(lambda: partners.revoke_partner(name, cli_actor()), partners.PartnerError)
    click.echo(f"Revoked the key of {partner.name}: it now gets 401.")


@partners_cli.command("suspend")
@click.argument("name")
@click.option("--reason", required=True, help="Why (misuse); kept in the audit trail.")
@with_appcontext
def suspend(name: str, reason: str) -> None:
    """Suspend partner NAME for misuse: its reports are stored, marked and ranked last."""
    partner = run_unit(lambda: partners.suspend_partner(name, reason, cli_actor()),
                       partners.PartnerError)
    count = _rerank(partner)
    click.echo(f"Suspended {partner.name} ({count} open cases re-ranked): its reports rank "
               "last until `flask partners lift`.")


@partners_cli.command("lift")
@click.argument("name")
@with_appcontext
def lift(name: str) -> None:
    """Lift the suspension of partner NAME."""
    partner = run_unit(lambda: partners.lift_suspension(name, cli_actor()), partners.PartnerError)
    count = _rerank(partner)
    click.echo(f"Lifted the suspension of {partner.name} ({count} open cases re-ranked).")
