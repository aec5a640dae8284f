"""Scoring on intake: topic, P(actionable), priority, desk, and the model registry glue."""

import pytest

import classifier
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.triage import scoring as triage
from intake.triage.models import ModelActivation, ModelVersion

BATTERY_ZH = "网传视频称某品牌电动车在小区地下车库充电时电池起火自燃爆炸，转发扩散！这是旧视频。"
BATTERY_EN = "Viral video: an EV battery caught fire while charging in a garage. It is old footage."


@pytest.fixture
def register(app, model_blob):
    """Register (and by default activate) a model version in the test database."""

    def add(version: str = "v-test", blob: bytes | None = None, activate: bool = True,
            sha256: str | None = None) -> None:
        blob = blob or model_blob
        with app.app_context():
            row = ModelVersion(version=version, sha256=sha256 or classifier.artifact_sha256(blob),
                               size=len(blob), card={}, artifact=blob)
            db.session.add(row)
            if activate:
                db.session.add(ModelActivation(version=row))
            db.session.commit()

    return add


@pytest.fixture
def scoring_app(app_factory):
    return app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=0)


def _report(app, code: str) -> Report:
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()


@pytest.mark.parametrize("claim", [BATTERY_ZH, BATTERY_EN])
def test_api_report_is_scored_and_routed(scoring_app, model_blob, claim):
    app = scoring_app
    with app.app_context():
        blob = model_blob
        row = ModelVersion(version="v1", sha256=classifier.artifact_sha256(blob), size=len(blob),
                           card={}, artifact=blob)
        db.session.add_all([row, ModelActivation(version=row)])
        db.session.commit()
    response = app.test_client().post("/api/v1/reports", json={"claim": claim})
    assert response.status_code == 201
    with app.app_context():
        report = _report(app, response.json["tracking_code"])
        assert report.scoring_status == "scored"
        assert report.topic == "battery-safety"
        assert report.model_version == "v1"
        assert 0.0 <= report.p_actionable <= 1.0
        components = report.priority_components
        assert set(components) == {"actionable", "severity", "demand", "channel", "waiting"}
        assert report.priority == pytest.approx(sum(components.values()), abs=0.1)
        case = report.case
        assert case.topic == "battery-safety"
        assert case.band in {"P1", "P2", "P3", "P4"}
        assert case.sla_due_at > case.created_at
        spans = report.reasons["spans"]["topic"]
        assert spans, "the reasons mark the words behind the topic"
        text = triage.report_text(report)
        assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
        assert "topic_terms" not in report.reasons, "n-gram fragments are no longer stored"


def test_without_a_model_reports_stay_unscored_then_rescore_scores_them(
    app_factory, register, make_report
):
    app = app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=0)
    response = app.test_client().post("/api/v1/reports", json={"claim": BATTERY_EN})
    assert response.status_code == 201
    with app.app_context():
        assert _report(app, response.json["tracking_code"]).scoring_status == "unscored"
        assert triage.unscored_count() == 1
    result = app.test_cli_runner().invoke(args=["model", "rescore"])
    assert result.exit_code != 0 and "flask model train" in result.output
    register()
    result = app.test_cli_runner().invoke(args=["model", "rescore"])
    assert result.exit_code == 0, result.output
    assert "Scored 1 reports" in result.output
    with app.app_context():
        report = _report(app, response.json["tracking_code"])
        assert report.scoring_status == "scored" and report.case.band is not None


def test_a_broken_artifact_leaves_the_report_unscored_not_lost(scoring_app, register):
    register(sha256="0" * 64)  # checksum mismatch: the artifact is refused
    response = scoring_app.test_client().post("/api/v1/reports", json={"claim": BATTERY_EN})
    assert response.status_code == 201
    with scoring_app.app_context():
        assert _report(scoring_app, response.json["tracking_code"]).scoring_status == "unscored"


def test_worker_reloads_only_after_the_check_interval(app_factory, register, model_blob):
    app = app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=3600)
    register("v-one")
    with app.app_context():
        assert triage.active_model().version == "v-one"
    register("v-two")
    with app.app_context():
        assert triage.active_model().version == "v-one", "no database check inside the interval"
        assert triage.active_model(fresh=True).version == "v-two"


def test_priority_weights_come_from_config(app_factory, register):
    weights = {"actionable": 0, "severity": 0, "demand": 0, "channel": 100, "waiting": 0}
    app = app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=0, PRIORITY_WEIGHTS=weights)
    register()
    response = app.test_client().post("/api/v1/reports", json={"claim": BATTERY_EN})
    with app.app_context():
        case = db.session.get(Case, _report(app, response.json["tracking_code"]).case_id)
        assert case.priority == pytest.approx(100 * app.config["CHANNEL_TRUST"]["api"])
        assert case.priority_components["actionable"] == 0


def test_evaluate_json_and_bad_files(app, register, tmp_path):
    register()
    good = tmp_path / "held_out.csv"
    good.write_text("text,topic,actionable\n"
                    f"{BATTERY_EN},battery-safety,1\n"
                    "Buy cheap chargers now!!! call 123,off-topic,0\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["model", "evaluate", "--data", str(good), "--json"])
    assert result.exit_code == 0, result.output
    metrics = __import__("json").loads(result.output)
    assert metrics["n"] == 2
    assert set(metrics["topic"]) >= {"accuracy", "macro_f1"}
    assert set(metrics["actionable"]) >= {"roc_auc", "average_precision"}
    bad = tmp_path / "bad.csv"
    bad.write_text("text,topic,actionable\nhello world,battery-safety,1\nx,flying-cars,0\n",
                   encoding="utf-8")
    result = runner.invoke(args=["model", "evaluate", "--data", str(bad)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "flying-cars" in result.output
