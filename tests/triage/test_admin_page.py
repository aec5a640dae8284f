"""/staff/models: versions, cards, gate verdicts, quality chart and drift, for admins only."""

import re
from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import utcnow
from intake.users import accounts as users

from .conftest import NEW_KIND_TOPIC

PASSWORD = "correct horse battery"
CARD = {
    "training_data": {"n": 850, "sha256": "ab" * 32},
    "evaluation": "held-out: the newest 12 decisions",
    "metrics": {"topic": {"accuracy": 0.8, "macro_f1": 0.7},
                "actionable": {"roc_auc": 0.9, "average_precision": 0.6}},
    "gate": {"passed": False, "checks": [
        {"name": "decisions", "passed": False, "detail": "6 decisions (need 30)"}]},
}


@pytest.fixture
def signed_in(app, client):
    def sign_in(role: str) -> None:
        with app.app_context():
            users.create_user(f"{role}-one", PASSWORD, role,
                              [] if role == "admin" else ["battery-safety"], actor="cli:test")
            db.session.commit()
        client.post("/staff/login", data={"username": f"{role}-one", "password": PASSWORD})

    return sign_in


@pytest.mark.parametrize("role, status", [("moderator", 403), ("operator", 403)])
def test_only_admins_see_the_model_page(client, signed_in, role, status):
    signed_in(role)
    assert client.get("/staff/models").status_code == status
    assert "/staff/models" not in client.get("/staff/", follow_redirects=True
                                             ).get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/staff/models")
    assert response.status_code == 303 and "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize("language, words", [
    ("en", ["Held-out quality over versions", "Is the active model drifting?", "Confirmed"]),
    ("zh", ["各版本的留出集质量", "当前模型是否在漂移？", "确认"]),
])
def test_admin_sees_versions_cards_gate_chart_and_drift(
    app, client, signed_in, add_version, new_kind_blob, make_decided_case, language, words
):
    add_version("v-one", card={**CARD, "gate": {"passed": True, "checks": []}})
    add_version("v-two", new_kind_blob, card=CARD)  # the active one
    for final in (NEW_KIND_TOPIC, NEW_KIND_TOPIC, NEW_KIND_TOPIC, "policy-standards"):
        make_decided_case("insurers rumour", final, model_topic=NEW_KIND_TOPIC,
                      model_version="v-two", decided_at=utcnow() + timedelta(minutes=5))
    make_decided_case("old", "road-cloud", model_topic="road-cloud", model_version="v-one")
    signed_in("admin")
    client.set_cookie("lang", language)
    response = client.get("/staff/models", headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for word in words:
        assert word in page
    assert 'href="/staff/models"' in page  # the staff nav links here for admins
    assert "v-one" in page and "v-two" in page and "6 decisions (need 30)" in page
    assert "0.800" in page and "0.600" in page
    # The chart: one line per metric through both versions, no script anywhere.
    assert len(re.findall(r'<polyline class="series s-\d" points="[\d., ]+ [\d., ]+"', page)) == 4
    assert "<script" not in page
    # Drift: 3 of 4 decisions since v-two went live kept its suggested topic.
    assert "75%" in page and "road-cloud" not in page.split('id="drift"')[1].split("</table>")[0]
