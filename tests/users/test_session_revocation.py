"""Sessions are revocable on the server: a cookie kept from before a logout opens nothing."""

import pytest
from factories import PASSWORD

from intake.core.extensions import db
from intake.users import accounts as users
from intake.users.models import User


def _signed_in(app, name: str):
    client = app.test_client()
    response = client.post("/staff/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303
    return client


def _replay(app, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/staff/audit")


@pytest.fixture
def admin(make_user):
    return make_user("root", role="admin", desks=())


def test_a_cookie_saved_before_logout_is_sent_to_login(app, admin):
    client = _signed_in(app, admin)
    saved = client.get_cookie("session").value
    assert _replay(app, saved).status_code == 200  # the copy works while the session lives

    assert client.post("/staff/logout").status_code == 303

    replayed = _replay(app, saved)
    assert replayed.status_code == 303
    assert replayed.location.startswith("/staff/login")


def test_logout_ends_the_users_other_sessions_too(app, admin):
    laptop, phone = _signed_in(app, admin), _signed_in(app, admin)

    laptop.post("/staff/logout")

    assert phone.get("/staff/audit").status_code == 303
    assert _signed_in(app, admin).get("/staff/audit").status_code == 200  # signing in again works


@pytest.mark.parametrize("end", ["reset", "deactivate"])
def test_password_reset_and_deactivation_end_every_session(app, admin, end):
    client = _signed_in(app, admin)
    saved = client.get_cookie("session").value
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == admin)).one()
        if end == "reset":
            users.reset_password(user, "another long passphrase", actor="cli:test")
            db.session.commit()
        else:
            users.deactivate(user, actor="cli:test")
            db.session.commit()

    assert client.get("/staff/audit").status_code == 303
    assert _replay(app, saved).status_code == 303
