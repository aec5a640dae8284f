"""`flask model train`: decisions become training data; the gate guards promotion."""

import random

import pytest

import classifier
from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Report
from intake.triage import registry as model_registry
from intake.triage import scoring as triage
from intake.triage import training as model_training
from intake.triage import training_set

from .conftest import NEW_KIND_PROBES, NEW_KIND_TOPIC, new_kind_texts

# Candidates learn from the starter sample (+ decisions): the workflow, not the full corpus.
pytestmark = pytest.mark.usefixtures("sampled_starter")


def _routes(app, texts: list[str]) -> list[str]:
    with app.app_context():
        model = triage.active_model(fresh=True).model
        return [model.predict_one(t).topic for t in texts]


def test_training_from_decisions_routes_a_new_kind_of_rumour(
    model_app, add_version, make_decided_case
):
    add_version("v-starter")
    before = _routes(model_app, NEW_KIND_PROBES)
    assert before.count(NEW_KIND_TOPIC) < len(NEW_KIND_PROBES) / 2, before
    for text in new_kind_texts(50):
        make_decided_case(text, NEW_KIND_TOPIC, "false")

    result = model_app.test_cli_runner().invoke(args=["model", "train", "--promote"])

    assert result.exit_code == 0, result.output
    assert "Gate: PASSED" in result.output and "Promoted" in result.output
    assert _routes(model_app, NEW_KIND_PROBES) == [NEW_KIND_TOPIC] * len(NEW_KIND_PROBES)
    # And the live intake path: a new similar report is routed to that desk.
    response = model_app.test_client().post("/api/v1/reports",
                                            json={"claim": NEW_KIND_PROBES[0]})
    with model_app.app_context():
        report = db.session.scalars(db.select(Report).where(
            Report.tracking_code == response.json["tracking_code"])).one()
        assert report.topic == NEW_KIND_TOPIC and report.model_version != "v-starter"


def test_train_prints_both_models_side_by_side_and_registers_without_promoting(
    app, add_version, make_decided_case
):
    add_version("v-starter")
    for text in new_kind_texts(40):
        make_decided_case(text, NEW_KIND_TOPIC, "misleading")

    result = app.test_cli_runner().invoke(args=["model", "train", "--holdout-share", "0.25"])

    assert result.exit_code == 0, result.output
    out = result.output
    assert ("30 decisions + 0 reports of moved cases (topic only); held out: 10 reports from "
            "the newest 10 decisions") in out
    for key in ("topic_accuracy", "topic_macro_f1", "actionable_roc_auc",
                "actionable_average_precision", "per-topic F1", "active v-starter"):
        assert key in out
    for check in ("decisions", "held-out size", "topic_accuracy"):
        assert f"] {check}:" in out
    assert "Not promoted" in out
    with app.app_context():
        assert model_registry.active().version.version == "v-starter"
        newest = model_registry.versions()[0]
        assert newest.card["sources"]["held_out_decisions"] == 10
        assert newest.card["compared_with"]["version"] == "v-starter"
        assert newest.card["gate"]["passed"] is True
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
        assert "model.register" in actions and "model.promote" not in actions


def test_the_gate_refuses_a_candidate_trained_on_shuffled_labels(app, add_version,
                                                                  make_decided_case,
                                                                  sampled_starter):
    add_version("v-starter")
    corpus = sampled_starter  # decided rows both models learnt from, as with the full corpus
    picks = random.Random(3).sample(range(len(corpus)), 60)
    for i in picks:
        make_decided_case(corpus.texts[i], corpus.topics[i],
                      "false" if corpus.actionable[i] else "accurate")
    with app.app_context():
        split = training_set.build_split(holdout_share=0.25)
        honest = model_training.fit_candidate(split)
        rng = random.Random(0)
        topics, actionable = list(split.train.topics), list(split.train.actionable)
        rng.shuffle(topics)
        rng.shuffle(actionable)
        split.train = classifier.LabelledData(split.train.texts, topics, actionable)
        shuffled = model_training.fit_candidate(split)

    assert honest.verdict.passed, honest.verdict
    assert not shuffled.verdict.passed
    failed = {c.name for c in shuffled.verdict.checks if not c.passed}
    assert {"topic_accuracy", "topic_macro_f1"} <= failed


def test_a_failed_gate_blocks_promote_unless_forced(app, add_version, make_decided_case):
    add_version("v-starter")
    for text in new_kind_texts(6):  # far fewer decisions than MODEL_GATE_MIN_DECISIONS
        make_decided_case(text, NEW_KIND_TOPIC)
    runner = app.test_cli_runner()

    refused = runner.invoke(args=["model", "train", "--promote"])

    assert refused.exit_code == 0, refused.output
    assert "Gate: FAILED" in refused.output and "[FAIL] decisions: 6 decisions" in refused.output
    assert "Not promoted: the gate failed" in refused.output
    with app.app_context():
        candidate = model_registry.versions()[0].version
        assert model_registry.active().version.version == "v-starter"
    blocked = runner.invoke(args=["model", "promote", candidate])
    assert blocked.exit_code != 0 and "failed the quality gate (decisions, held-out size)" \
        in blocked.output
    forced = runner.invoke(args=["model", "promote", candidate, "--force"])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        assert model_registry.active().version.version == candidate
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "model.promote")).one()
        assert event.after == {"active": candidate, "forced": True}
        assert event.before == {"active": "v-starter"}


def test_since_leaves_out_older_decisions(app, make_decided_case):
    from datetime import datetime
    make_decided_case("old rumour about insurers", NEW_KIND_TOPIC,
                  decided_at=datetime(2024, 1, 1))
    make_decided_case("newer rumour about insurers", NEW_KIND_TOPIC,
                  decided_at=datetime(2025, 6, 1))
    make_decided_case("spam spam", "off-topic", "spam", decided_at=datetime(2025, 6, 2))
    with app.app_context():
        every = training_set.build_split(holdout_share=0.0)
        recent = training_set.build_split(since=datetime(2025, 1, 1), holdout_share=0.5)
    assert every.counts["decisions"] == 3
    assert recent.counts["decisions"] == 2 and recent.counts["held_out_decisions"] == 1
    # Spam counts as not actionable; the newest decision is the held-out one.
    assert recent.held_out.texts == ["spam spam"] and recent.held_out.actionable == [0]


def test_first_model_passes_the_gate_when_none_is_active(app):
    result = app.test_cli_runner().invoke(args=["model", "train", "--promote"])
    assert result.exit_code == 0, result.output
    assert "no active model to compare with" in result.output
    assert "No held-out decisions" in result.output and "Promoted" in result.output


@pytest.mark.parametrize("decisions, held_out, passed", [(30, 10, True), (29, 10, False),
                                                         (30, 9, False)])
def test_gate_minimums(app, decisions, held_out, passed):
    from intake.triage import gate as model_gate
    metrics = {"topic": {"accuracy": 0.9, "macro_f1": 0.9},
               "actionable": {"roc_auc": 0.8, "average_precision": 0.8}}
    verdict = model_gate.judge(metrics, metrics, has_active=True, decisions=decisions,
                               held_out=held_out, config=app.config)
    assert verdict.passed is passed
    assert [c.name for c in verdict.checks] == [
        "decisions", "held-out size", "topic_accuracy", "topic_macro_f1",
        "actionable_roc_auc", "actionable_average_precision"]
