"""Staff login, lockout, session end and the users CLI."""

from factories import PASSWORD

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.users.models import User


def test_login_then_home_shows_desks(client, make_user, login):
    make_user("mona", desks=("battery-safety", "vehicle-data"))
    response = login("mona")
    assert response.status_code == 303
    page = client.get("/staff/", follow_redirects=True)  # the staff home is her queue
    assert page.status_code == 200
    assert "mona" in page.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/staff/")
    assert response.status_code == 303
    assert "/staff/login" in response.headers["Location"]


def test_wrong_password_is_400_and_audited(app, client, make_user, login):
    make_user("mona")
    response = login("mona", "wrong password here")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert "user.login_failed" in actions


def test_lockout_after_repeated_failures(app, client, make_user, login):
    make_user("mona")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login("mona", "wrong password here")
    response = login("mona")  # the right password no longer works while locked
    assert response.status_code == 400
    assert "请在" in response.get_data(as_text=True)


def test_open_redirect_is_refused(client, make_user, login):
    make_user("mona")
    response = client.post("/staff/login?next=//evil.example/x",
                           data={"username": "mona", "password": PASSWORD})
    assert response.headers["Location"].endswith("/staff/queue")  # her landing page instead


def test_users_cli_create_list_set_role_deactivate(app, runner):
    result = runner.invoke(args=["users", "create", "ada", "--role", "moderator",
                                 "--desk", "battery-safety", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "ada" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "set-role", "ada", "admin"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "ada"]).exit_code == 0
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "ada")).one()
        assert (user.role, user.is_active) == ("admin", False)


def test_users_cli_errors_are_clear(runner):
    result = runner.invoke(args=["users", "create", "ada", "--role", "moderator",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "needs at least one desk" in result.output
    result = runner.invoke(args=["users", "create", "ada", "--role", "admin",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code != 0 and "too short" in result.output
    result = runner.invoke(args=["users", "set-role", "nobody", "admin"])
    assert result.exit_code != 0 and "No user named" in result.output


def test_audit_trail_cannot_be_edited(app, make_user):
    make_user("mona")
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent)).first()
        event.action = "tampered"
        try:
            db.session.commit()
            raised = False
        except Exception:
            db.session.rollback()
            raised = True
    assert raised
