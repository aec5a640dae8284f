"""Staff fixtures: real accounts created through the users service, real logins."""

import pytest

from intake import users

PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """Create a staff account; returns its username."""

    def make(name: str, role: str = "moderator", desks=("battery-safety",)):
        with app.app_context():
            users.create_user(name, PASSWORD, role, list(desks) if role != "admin" else list(desks),
                              actor="cli:test")
        return name

    return make


@pytest.fixture
def login(client):
    """Log the test client in as a user; returns the response."""

    def do(name: str, password: str = PASSWORD):
        return client.post("/staff/login", data={"username": name, "password": password})

    return do
