"""Staff fixtures: real accounts created through the users service, real logins."""

import pytest
from factories import PASSWORD


@pytest.fixture
def login(client):
    """Log the test client in as a user; returns the response."""

    def do(name: str, password: str = PASSWORD):
        return client.post("/staff/login", data={"username": name, "password": password})

    return do
