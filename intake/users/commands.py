"""`flask users ...`: manage staff accounts from the command line (recorded in the audit trail)."""

import getpass
import sys

import click
from flask.cli import with_appcontext

from intake.audit import trail as audit
from intake.core.commands import run_unit
from intake.core.extensions import db
from intake.core.models import utcnow
from intake.triage.scoring import TOPICS
from intake.users import accounts as users
from intake.users import login_throttle
from intake.users.models import ROLES


def cli_actor() -> str:
    """Return the audit name of whoever runs the command: cli:<os user>."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in this environment
        name = "unknown"
    return f"cli:{name}"


def _password(stdin: bool, username: str) -> str:
    if stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.UsageError("--password-stdin was given but standard input is empty.")
        return line
    return click.prompt(f"Password for {username}", hide_input=True, confirmation_prompt=True)


def _user(name: str):
    user = users.find_user(name)
    if user is None:
        raise click.ClickException(f"No user named {name!r}: see `flask users list`.")
    return user


@click.group("users")
def users_cli() -> None:
    """Staff accounts: operators, moderators and admins."""


@users_cli.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--desk", "desks", multiple=True, type=click.Choice(TOPICS),
              help="A desk (topic key) the user works; repeat for several.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create(name: str, role: str, desks: tuple[str, ...], password_stdin: bool) -> None:
    """Create a staff account NAME."""
    # Refuse a bad name, role or desk before asking for a password.
    run_unit(lambda: users.check_new_user(name, role, desks), users.UserError)
    password = _password(password_stdin, name)
    user = run_unit(lambda: users.create_user(name, password, role, desks, actor=cli_actor()),
                    users.UserError)
    click.echo(f"Created {user.username} ({user.role}"
               + (f"; desks: {', '.join(users.desks_of(user))}" if user.desks else "") + ").")


@users_cli.command("list")
@with_appcontext
def list_users() -> None:
    """List every account with its role, desks and state."""
    rows = users.list_users()
    if not rows:
        click.echo("No staff accounts yet: create one with `flask users create NAME --role admin`.")
        return
    click.echo(f"{'name':<24} {'role':<10} {'state':<9} {'last login (UTC)':<17} desks")
    for user in rows:
        state = "active" if user.is_active else "inactive"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(f"{user.username:<24} {user.role:<10} {state:<9} {last:<17} "
                   f"{', '.join(users.desks_of(user)) or '-'}")


@users_cli.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES), metavar="ROLE")
@with_appcontext
def set_role(name: str, role: str) -> None:
    """Change the role of NAME."""
    user = run_unit(lambda: users.set_role(_user(name), role, actor=cli_actor()), users.UserError)
    click.echo(f"{user.username} is now {user.role}.")


@users_cli.command("add-desk")
@click.argument("name")
@click.argument("desk", type=click.Choice(TOPICS), metavar="DESK")
@with_appcontext
def add_desk(name: str, desk: str) -> None:
    """Add NAME to a desk."""
    user = run_unit(lambda: users.set_desk(_user(name), desk, True, actor=cli_actor()),
                    users.UserError)
    click.echo(f"{user.username} desks: {', '.join(users.desks_of(user))}.")


@users_cli.command("remove-desk")
@click.argument("name")
@click.argument("desk", type=click.Choice(TOPICS), metavar="DESK")
@with_appcontext
def remove_desk(name: str, desk: str) -> None:
    """Remove NAME from a desk."""
    user = run_unit(lambda: users.set_desk(_user(name), desk, False, actor=cli_actor()),
                    users.UserError)
    click.echo(f"{user.username} desks: {', '.join(users.desks_of(user)) or '-'}.")


@users_cli.command("deactivate")
@click.argument("name")
@with_appcontext
def deactivate(name: str) -> None:
    """Deactivate NAME and end their sessions."""
    user = run_unit(lambda: users.deactivate(_user(name), actor=cli_actor()), users.UserError)
    click.echo(f"{user.username} is deactivated; their sessions have ended.")


@users_cli.command("activate")
@click.argument("name")
@with_appcontext
def activate(name: str) -> None:
    """Reactivate NAME."""
    user = run_unit(lambda: users.set_active(_user(name), True, actor=cli_actor()), users.UserError)
    click.echo(f"{user.username} is active again.")


@users_cli.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def reset_password(name: str, password_stdin: bool) -> None:
    """Set a new password for NAME, lift sign-in blocks on the name and end their sessions."""
    user = _user(name)
    password = _password(password_stdin, user.username)
    run_unit(lambda: users.reset_password(user, password, actor=cli_actor()), users.UserError)
    click.echo(f"Password of {user.username} reset; their sessions have ended.")


@users_cli.command("unblock")
@click.argument("name", required=False)
@click.option("--address", help="Also lift the block on this client address.")
@with_appcontext
def unblock(name: str | None, address: str | None) -> None:
    """Lift sign-in blocks on NAME from every address, and/or on one --address."""
    if not name and not address:
        raise click.UsageError("Give a NAME, an --address, or both.")
    now = utcnow()
    lifted = (login_throttle.unblock(name, now) if name else 0) + (
        login_throttle.unblock_address(address, now) if address else 0)
    audit.record(cli_actor(), "user.login_unblocked", "user", None,
                       after={"username": name, "address": address, "lifted": lifted})
    db.session.commit()
    click.echo(f"Lifted {lifted} sign-in block(s)." if lifted else "Nothing was blocked.")
