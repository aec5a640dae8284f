"""Steps many browser tests take: signing in, and moving focus with the keyboard."""

import pytest

PASSWORD = "correct horse battery"
# How long one step (a click and its page, a request) may take: a guard against hangs, not a
# speed check. The first report after a test registers a model loads it in the request,
# which took over 10 s on a busy 2-core CI machine.
STEP_SECONDS = 30


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the staff login form and wait for the page it leads to."""
    page.goto(f"{base}/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def tab_to(page, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"#{element_id} is not reachable with Tab")
