"""The admin model page in a real browser: chart and tables render, in both languages."""

from datetime import timedelta

import pytest

from intake.core.extensions import db
from intake.core.models import Case, Decision, utcnow
from intake.triage.models import ModelActivation, ModelVersion
from intake.users import accounts as users

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def _card(accuracy: float, auc: float, passed: bool) -> dict:
    return {"training_data": {"n": 800 + int(accuracy * 100), "sha256": "cd" * 32},
            "evaluation": "held-out: the newest 20 decisions",
            "metrics": {"topic": {"accuracy": accuracy, "macro_f1": accuracy - 0.05},
                        "actionable": {"roc_auc": auc, "average_precision": auc - 0.1}},
            "gate": {"passed": passed, "checks": [
                {"name": "topic_accuracy", "passed": passed,
                 "detail": f"candidate {accuracy:.3f} vs active 0.850"}]}}


@pytest.fixture
def model_history(app):
    """Three versions (the page never loads artifacts), the newest active, a few decisions."""
    with app.app_context():
        users.create_user("model-admin", PASSWORD, "admin", [], actor="cli:test")
        db.session.commit()
        rows = [ModelVersion(version=f"2026110{i}-0000{i}-abcdef0{i}", sha256=f"{i}" * 64,
                             size=900_000, card=_card(acc, auc, ok), artifact=b"-",
                             created_by="cli:admin")
                for i, (acc, auc, ok) in enumerate([(0.85, 0.80, True), (0.88, 0.83, True),
                                                    (0.80, 0.70, False)], start=1)]
        db.session.add_all(rows)
        db.session.add(ModelActivation(version=rows[1], activated_by="cli:admin", note="promote"))
        for final in ("battery-safety", "battery-safety", "vehicle-data"):
            case = Case(status="resolved", topic=final, outcome="false")
            db.session.add(Decision(case=case, outcome="false", final_topic=final,
                                    model_topic="battery-safety", model_version=rows[1].version,
                                    decided_at=utcnow() + timedelta(minutes=1)))
        db.session.commit()


@pytest.mark.parametrize("language, heading", [("en", "Models"), ("zh", "模型")])
def test_model_page_renders_chart_and_drift(page, live_server, model_history, artifacts,
                                            language, heading):
    page.goto(f"{live_server}/lang/{language}?next=/staff/login")
    page.fill("#username", "model-admin")
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.get_by_role("link", name=heading, exact=True).click()
    page.wait_for_url(f"{live_server}/staff/models")
    assert page.locator("h1").inner_text() == heading
    assert page.locator("svg polyline").count() == 4
    assert page.locator("svg circle").count() == 12
    assert page.locator("svg").bounding_box()["width"] > 300
    assert "67%" in page.locator("#drift + p + table").inner_text()
    # The legend names each line on one line (it once wrapped one character per line).
    keys = page.locator("figcaption .key")
    assert keys.count() == 4
    for box in (keys.nth(i).bounding_box() for i in range(4)):
        assert box["height"] < 30 and box["width"] > 40, box
    page.screenshot(path=str(artifacts / f"staff-models-{language}.png"), full_page=True)
