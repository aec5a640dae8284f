"""Each role lands on the page it works from, after sign-in and at /staff/; a safe next wins."""

import pytest

LANDINGS = [("moderator", "/staff/queue"), ("operator", "/staff/hotline"),
            ("admin", "/staff/dashboard")]


@pytest.mark.parametrize("role, page", LANDINGS)
def test_sign_in_lands_on_the_roles_page(client, make_user, login, role, page):
    make_user("someone", role=role)
    response = login("someone")
    assert response.status_code == 303 and response.headers["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("role, page", LANDINGS)
def test_staff_home_sends_each_role_to_its_page(client, make_user, login, role, page):
    make_user("someone", role=role)
    login("someone")
    response = client.get("/staff/")
    assert response.status_code == 303 and response.headers["Location"] == page
    # Signed in already, the login page also goes there.
    assert client.get("/staff/login").headers["Location"] == page


@pytest.mark.parametrize("role", ["moderator", "operator", "admin"])
def test_a_safe_next_wins_over_the_landing(client, make_user, role):
    make_user("someone", role=role)
    response = client.post("/staff/login?next=/staff/search?q=fire",
                           data={"username": "someone", "password": "correct horse battery"})
    assert response.headers["Location"] == "/staff/search?q=fire"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "/\t/evil.example"])
def test_an_unsafe_next_falls_back_to_the_landing(client, make_user, target):
    make_user("olga", role="operator", desks=())
    response = client.post("/staff/login", query_string={"next": target},
                           data={"username": "olga", "password": "correct horse battery"})
    assert response.headers["Location"] == "/staff/hotline"


def test_anonymous_staff_home_asks_to_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 303 and "/staff/login" in response.headers["Location"]
