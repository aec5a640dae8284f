"""`flask model list/promote/rollback/export/import/evaluate/rescore/uncertain`."""

import hashlib
import io
import json
import zipfile

import pytest
import skops.io as sio
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.reports.tracking import new_code
from intake.triage import registry as model_registry
from intake.triage import scoring as triage

from .conftest import NEW_KIND_PROBES


def _active(app) -> str:
    with app.app_context():
        return model_registry.active().version.version


def _probabilities(app) -> list[dict]:
    with app.app_context():
        model = triage.active_model(fresh=True).model
        return [model.predict_one(t).topic_probabilities for t in NEW_KIND_PROBES]


def test_rollback_restores_the_previous_predictions(model_app, add_version, new_kind_blob):
    add_version("v-one")
    add_version("v-two", new_kind_blob, activate=False)
    before = _probabilities(model_app)
    runner = model_app.test_cli_runner()

    promoted = runner.invoke(args=["model", "promote", "v-two"])
    assert promoted.exit_code == 0, promoted.output
    assert _probabilities(model_app) != before
    rolled = runner.invoke(args=["model", "rollback"])

    assert rolled.exit_code == 0, rolled.output
    assert "v-one is active again" in rolled.output
    assert _probabilities(model_app) == before
    again = runner.invoke(args=["model", "rollback"])
    assert again.exit_code != 0 and "no earlier active version" in again.output
    with model_app.app_context():
        events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.target_id) for e in events] == [
            ("model.promote", "v-two"), ("model.rollback", "v-one")]
        assert events[1].after == {"active": "v-one", "rolled_back": "v-two"}


def test_rollback_walks_back_through_promotions(app, add_version, new_kind_blob, model_blob):
    add_version("v-one")
    add_version("v-two", new_kind_blob, activate=False)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["model", "promote", "v-two"]).exit_code == 0
    assert runner.invoke(args=["model", "promote", "v-one"]).exit_code == 0
    assert runner.invoke(args=["model", "rollback"]).exit_code == 0
    assert _active(app) == "v-two"
    assert runner.invoke(args=["model", "rollback"]).exit_code == 0
    assert _active(app) == "v-one"


def test_list_shows_versions_metrics_and_the_active_one(app, add_version, new_kind_blob):
    card = {"training_data": {"n": 840},
            "metrics": {"topic": {"accuracy": 0.91, "macro_f1": 0.9},
                        "actionable": {"roc_auc": 0.8, "average_precision": 0.75}},
            "gate": {"passed": True, "checks": []}}
    add_version("v-one")
    add_version("v-two", new_kind_blob, activate=False, card=card)
    result = app.test_cli_runner().invoke(args=["model", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    two = next(line for line in lines if "v-two" in line)
    one = next(line for line in lines if "v-one" in line)
    assert one.startswith("*") and not two.startswith("*")
    assert "840" in two and "0.910" in two and "0.750" in two and "pass" in two


def test_export_then_import_into_another_deployment(app, add_version, new_kind_blob, tmp_path):
    add_version("v-one")
    path = tmp_path / "model.skops"
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["model", "export", "v-one", str(path)])
    assert exported.exit_code == 0, exported.output
    assert path.read_bytes()[:2] == b"PK"
    sha, name = path.with_name("model.skops.sha256").read_text().split()
    assert name == "v-one" and sha == hashlib.sha256(path.read_bytes()).hexdigest()
    # The same file again is recognised; a new one is registered, verified, not active.
    again = runner.invoke(args=["model", "import", str(path)])
    assert again.exit_code != 0 and "already registered as v-one" in again.output
    other = tmp_path / "other.skops"
    other.write_bytes(new_kind_blob)
    imported = runner.invoke(args=["model", "import", str(other), "--as", "v-imported",
                                   "--sha256", hashlib.sha256(new_kind_blob).hexdigest()])
    assert imported.exit_code == 0, imported.output
    assert _active(app) == "v-one"
    with app.app_context():
        assert model_registry.find("v-imported").card["imported"] is True
        actions = list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["model.export", "model.import"]
    assert runner.invoke(args=["model", "promote", "v-imported"]).exit_code == 0


def _with_sidecar(path, blob: bytes, name: str = "v-x", sha: str | None = None):
    path.write_bytes(blob)
    path.with_name(path.name + ".sha256").write_text(
        f"{sha or hashlib.sha256(blob).hexdigest()}  {name}\n")
    return str(path)


def _tampered(blob: bytes) -> bytes:
    # Rewrite one member with a changed byte: a valid zip whose content is not the original.
    source, out = zipfile.ZipFile(io.BytesIO(blob)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "schema.json":
                data = data.replace(b"report-desk-triage", b"report-desk-triagE", 1)
            target.writestr(item, data)
    return out.getvalue()


def _foreign() -> bytes:
    forest = Pipeline([("tfidf", TfidfVectorizer()), ("clf", RandomForestClassifier(3))])
    forest.fit(["alpha beta", "gamma delta", "alpha gamma", "beta delta"], ["x", "y", "x", "y"])
    card = json.dumps({"format": "report-desk-triage",
                       "versions": {"sklearn": __import__("sklearn").__version__}})
    return sio.dumps({"card_json": card, "topic": forest, "actionable": forest},
                     compression=zipfile.ZIP_DEFLATED)


@pytest.mark.parametrize("kind, message", [
    ("checksum", "corrupted or tampered"),
    ("rewritten", "not a Report Desk triage model"),
    ("foreign", "outside the allow-list"),
    ("garbage", "not a Report Desk model artifact"),
])
def test_tampered_or_foreign_artifacts_are_refused(app, model_blob, tmp_path, kind, message):
    if kind == "checksum":  # one byte changed after export: the sidecar no longer matches
        blob = bytearray(model_blob)
        blob[len(blob) // 2] ^= 0xFF
        path = _with_sidecar(tmp_path / "m.skops", bytes(blob), sha=hashlib.sha256(
            model_blob).hexdigest())
    elif kind == "rewritten":  # re-zipped with a new checksum: the content itself is checked
        path = _with_sidecar(tmp_path / "m.skops", _tampered(model_blob))
    elif kind == "foreign":
        path = _with_sidecar(tmp_path / "m.skops", _foreign())
    else:
        path = _with_sidecar(tmp_path / "m.skops", b"PK\x03\x04 definitely not a model")
    result = app.test_cli_runner().invoke(args=["model", "import", path])
    assert result.exit_code != 0
    assert "refused" in result.output and message in result.output
    with app.app_context():
        assert model_registry.versions() == []


@pytest.mark.parametrize("scope, expected", [([], 1), (["--open"], 2), (["--all"], 3)])
def test_rescore_scopes(model_app, add_version, make_decided_case, make_report, scope, expected):
    make_report(claim="Battery fire rumour in a garage")  # open, unscored
    make_report(claim="Another battery rumour")  # open, scored below
    make_decided_case("Decided long ago", "battery-safety")  # resolved
    with model_app.app_context():
        db.session.execute(db.update(Report).values(scoring_status="scored")
                           .where(Report.claim != "Battery fire rumour in a garage"))
        db.session.commit()
    add_version()
    result = model_app.test_cli_runner().invoke(args=["model", "rescore", *scope])
    assert result.exit_code == 0, result.output
    assert f"Scored {expected} reports" in result.output and "Scoring" in result.output
    with model_app.app_context():
        event = db.session.scalars(db.select(AuditEvent)).one()
        assert (event.action, event.after) == ("model.rescore",
                                               {"scored": expected, "version": "v-starter"})


def test_uncertain_lists_the_coin_tosses_first(app):
    with app.app_context():
        for title, p in [("sure", 0.97), ("coin toss", 0.52), ("fairly sure", 0.2)]:
            case = Case(status="open", topic="battery-safety", p_actionable=p, title=title,
                        report_count=1)
            db.session.add(Report(tracking_code=new_code(), case=case, channel="web",
                                  language="en", claim=title, reasons={"topic_probabilities": {
                                      "battery-safety": 0.6, "vehicle-data": 0.3}}))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["model", "uncertain", "--limit", "2"])
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()[1:]
    assert len(rows) == 2 and "coin toss" in rows[0] and "fairly sure" in rows[1]
    assert "0.960" in rows[0] and "0.300" in rows[0]  # uncertainty and topic margin
    other = app.test_cli_runner().invoke(args=["model", "uncertain", "--desk", "road-cloud"])
    assert "No scored open cases" in other.output


def test_evaluate_a_named_version(app, add_version, new_kind_blob, tmp_path):
    add_version("v-one")
    add_version("v-two", new_kind_blob, activate=False)
    data = tmp_path / "held.csv"
    data.write_text("text,topic,actionable\n" + "".join(
        f"{t},industry-market,1\n" for t in NEW_KIND_PROBES), encoding="utf-8")
    runner = app.test_cli_runner()
    two = json.loads(runner.invoke(args=["model", "evaluate", "v-two", "--data", str(data),
                                         "--json"]).output)
    one = json.loads(runner.invoke(args=["model", "evaluate", "--data", str(data),
                                         "--json"]).output)
    assert two["topic"]["accuracy"] == 1.0 > one["topic"]["accuracy"]
    text = runner.invoke(args=["model", "evaluate", "v-two", "--data", str(data)]).output
    assert text.startswith("Model v-two on 4 reports")
