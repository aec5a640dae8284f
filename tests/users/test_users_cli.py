"""`flask users ...`: every command, with good and bad arguments; every change is audited."""

import pytest
from factories import PASSWORD

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.users.models import User


@pytest.fixture
def cli(runner):
    """Run `flask users ARGS...`; returns the click result."""

    def run(*args: str, stdin: str | None = None):
        return runner.invoke(args=["users", *args], input=stdin)

    return run


@pytest.fixture
def existing(make_user):
    make_user("mona")  # moderator on battery-safety
    make_user("olga", role="operator", desks=())


def _user(app, name: str) -> User:
    """Return the account (call inside an app context to follow its relationships)."""
    return db.session.scalars(db.select(User).where(User.username == name)).one()


def test_create_with_prompt_and_desks(app, cli):
    result = cli("create", "Ada", "--role", "moderator", "--desk", "battery-safety",
                 "--desk", "vehicle-data", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Created ada (moderator; desks: battery-safety, vehicle-data)" in result.output
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "user.create")).one()
        assert event.actor_name.startswith("cli:") and event.after["role"] == "moderator"
        assert PASSWORD not in str(event.after)


def test_list_shows_role_state_and_desks(cli, existing):
    assert cli("deactivate", "olga").exit_code == 0
    output = cli("list").output
    assert "mona" in output and "battery-safety" in output
    assert any(line.startswith("olga") and "inactive" in line for line in output.splitlines())


def test_list_when_empty_says_how_to_start(cli):
    assert "flask users create NAME --role admin" in cli("list").output


def test_set_role_deactivate_activate_reset_password(app, cli, existing, client, login):
    assert cli("set-role", "mona", "admin").exit_code == 0
    assert cli("deactivate", "mona").exit_code == 0
    assert login("mona").status_code == 400  # inactive accounts cannot sign in
    assert cli("activate", "mona").exit_code == 0
    new = "another long passphrase"
    result = cli("reset-password", "mona", "--password-stdin", stdin=new + "\n")
    assert result.exit_code == 0, result.output
    assert login("mona").status_code == 400
    assert login("mona", new).status_code == 303
    with app.app_context():
        assert _user(app, "mona").role == "admin"


def test_add_and_remove_desk(app, cli, existing):
    assert cli("add-desk", "mona", "road-cloud").exit_code == 0
    assert cli("remove-desk", "mona", "battery-safety").exit_code == 0
    with app.app_context():
        assert [d.topic for d in _user(app, "mona").desks] == ["road-cloud"]


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("create", "ada"), None, "Missing option '--role'"),
    (("create", "ada", "--role", "boss"), None, "'boss' is not one of"),
    (("create", "ada", "--role", "moderator", "--desk", "weather"), None,
     "'weather' is not one of"),
    (("create", "ada", "--role", "moderator", "--password-stdin"), PASSWORD, "at least one desk"),
    (("create", "a", "--role", "admin", "--password-stdin"), PASSWORD, "not a valid username"),
    (("create", "ad min", "--role", "admin", "--password-stdin"), PASSWORD, "not a valid username"),
    (("create", "MONA", "--role", "admin", "--password-stdin"), PASSWORD, "already exists"),
    (("create", "ada", "--role", "admin", "--password-stdin"), "short", "too short"),
    (("create", "ada", "--role", "admin", "--password-stdin"), "x" * 1025, "too long"),
    (("create", "ada", "--role", "admin", "--password-stdin"), "ada is my long name",
     "must not contain the username"),
    (("create", "ada", "--role", "admin", "--password-stdin"), "", "standard input is empty"),
    (("create", "ada", "--role", "admin"), f"{PASSWORD}\nsomething else\n", "do not match"),
    (("list", "extra"), None, "unexpected extra argument"),
    (("set-role", "nobody", "admin"), None, "No user named 'nobody'"),
    (("set-role", "mona", "boss"), None, "'boss' is not one of"),
    (("set-role", "mona"), None, "Missing argument 'ROLE'"),
    (("set-role", "mona", "moderator"), None, "already moderator"),
    (("set-role", "olga", "moderator"), None, "flask users add-desk olga DESK"),
    (("add-desk", "mona", "battery-safety"), None, "already on the battery-safety desk"),
    (("add-desk", "mona", "weather"), None, "'weather' is not one of"),
    (("remove-desk", "mona", "battery-safety"), None, "only desk of moderator mona"),
    (("remove-desk", "olga", "road-cloud"), None, "not on the road-cloud desk"),
    (("deactivate", "nobody"), None, "No user named 'nobody'"),
    (("deactivate",), None, "Missing argument 'NAME'"),
    (("activate", "mona"), None, "already active"),
    (("reset-password", "nobody", "--password-stdin"), PASSWORD, "No user named 'nobody'"),
    (("reset-password", "mona", "--password-stdin"), "short", "too short"),
    (("reset-password", "mona", "--password-stdin"), "", "standard input is empty"),
])
def test_bad_arguments_fail_clearly_and_change_nothing(app, cli, existing, args, stdin, message):
    with app.app_context():
        events = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    result = cli(*args, stdin=None if stdin is None else stdin + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == events
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


def test_deactivate_twice_is_an_error(cli, existing):
    assert cli("deactivate", "mona").exit_code == 0
    result = cli("deactivate", "mona")
    assert result.exit_code != 0 and "already inactive" in result.output


def test_create_checks_the_name_before_asking_for_a_password(cli, existing):
    result = cli("create", "mona", "--role", "admin", stdin="")
    assert "already exists" in result.output and "Password" not in result.output
