"""Appeals are a public POST: CSRF-protected and rate-limited like the report form."""

import os
import re
import secrets

import pytest

from intake.cases import decisions
from intake.core.extensions import db, limiter
from intake.core.models import Case
from intake.users.models import User

from .appeal_helpers import REASON


@pytest.fixture
def app(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=True,
                      RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
                      RATELIMIT_APPEAL="2 per minute")
    with app.app_context():
        limiter.reset()
    return app


@pytest.fixture
def decided_codes(app, make_user, make_reported_case, claim):
    """Three decided cases, one report each; returns their tracking codes."""
    make_user("mona")
    codes = []
    for _ in range(3):
        case_id, [code] = make_reported_case()
        claim(case_id, "mona")
        with app.app_context():
            mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
            decisions.decide(db.session.get(Case, case_id), mona, "false")
            db.session.commit()  # the view's commit
        codes.append(code)
    return codes


def _client(app):
    client = app.test_client()  # an address of its own: counters start at zero
    client.environ_base["REMOTE_ADDR"] = "10." + ".".join(
        str(secrets.randbelow(254) + 1) for _ in range(3))
    return client


def _token(client, code: str) -> str:
    page = client.get(f"/status/{code}").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def test_an_appeal_without_its_csrf_token_is_refused(app, decided_codes):
    client, code = _client(app), decided_codes[0]
    refused = client.post(f"/status/{code}/appeal", data={"reason": REASON},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(Case.status)).all() == ["resolved"] * 3
    sent = client.post(f"/status/{code}/appeal",
                       data={"reason": REASON, "csrf_token": _token(client, code)})
    assert sent.status_code == 303


def test_appeals_are_rate_limited_per_address(app, decided_codes):
    client = _client(app)
    sent = [client.post(f"/status/{code}/appeal", headers={"Accept-Language": "en"},
                        data={"reason": REASON, "csrf_token": _token(client, code)})
            for code in decided_codes]
    assert [r.status_code for r in sent] == [303, 303, 429]
    assert 0 < int(sent[2].headers["Retry-After"]) <= 60
    assert "Please wait" in sent[2].get_data(as_text=True)
    with app.app_context():
        assert sorted(db.session.scalars(db.select(Case.status))) == [
            "appealed", "appealed", "resolved"]
    assert _client(app).get(f"/status/{decided_codes[2]}").status_code == 200  # reading is not
