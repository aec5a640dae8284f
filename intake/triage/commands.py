"""`flask model ...`: train from decisions, evaluate, rescore, and list uncertain cases."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

import classifier
from intake.core.extensions import db
from intake.triage import registry as model_registry
from intake.triage import scoring as triage
from intake.triage import training as model_training
from intake.triage import training_set, uncertainty
from intake.triage.gate import METRICS, metric
from intake.triage.predict_command import predict
from intake.triage.version_commands import REGISTRY_COMMANDS, actor, model_for

model_cli = AppGroup("model", help="Train, evaluate, promote and apply the triage model.")
for command in (*REGISTRY_COMMANDS, predict):
    model_cli.add_command(command)

DATES = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _read(path: str | None) -> classifier.LabelledData:
    try:
        return classifier.read_labelled_csv(path) if path else classifier.load_starter_corpus()
    except classifier.DataError as exc:
        where = f"line {exc.row}: " if exc.row else ""
        raise click.ClickException(f"{path}: {where}{exc.reason}") from exc


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _say(message: str) -> None:
    click.echo(f"  {message}")


@model_cli.command("train")
@click.option("--since", type=click.DateTime(DATES),
              help="Only learn from decisions made at or after this date (UTC, YYYY-MM-DD).")
@click.option("--holdout-share", type=click.FloatRange(0.05, 0.5),
              help="Share of the newest decisions held out to judge the candidate "
                   "(default MODEL_HOLDOUT_SHARE).")
@click.option("--data", "path", type=click.Path(exists=True, dir_okay=False),
              help="Extra labelled rows: CSV with columns text,topic,actionable.")
@click.option("--promote", is_flag=True, help="Make it active if it passes the quality gate.")
@click.option("--force", is_flag=True, help="With --promote: promote even if the gate fails.")
def train(since: datetime | None, holdout_share: float | None, path: str | None,
          promote: bool, force: bool) -> None:
    """Train a candidate from the starter corpus and decisions, judge it, register it."""
    if force and not promote:
        raise click.UsageError("--force only makes sense with --promote.")
    extra = _read(path) if path else None
    share = holdout_share or current_app.config["MODEL_HOLDOUT_SHARE"]
    split = training_set.build_split(since=since, holdout_share=share, extra=extra)
    counts = split.counts
    click.echo(f"Training set: {counts['starter']} starter + {counts['extra']} extra + "
               f"{counts['train_decision_reports']} reports from {counts['train_decisions']} "
               f"decisions + {counts['moved_reports']} reports of moved cases (topic only); "
               f"held out: {counts['held_out_reports']} reports from the newest "
               f"{counts['held_out_decisions']} decisions")
    try:
        result = model_training.train(split, actor=actor(), promote=promote, force=force,
                                      progress=_say)
    except (ValueError, model_registry.RegistryError) as exc:
        db.session.commit()  # a refused promotion keeps the registered candidate, as before
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    candidate, row = result.candidate, result.row
    _side_by_side(candidate, split)
    click.echo(f"Gate: {'PASSED' if candidate.verdict.passed else 'FAILED'}")
    for check in candidate.verdict.checks:
        click.echo(f"  [{'pass' if check.passed else 'FAIL'}] {check.name}: {check.detail}")
    click.echo(f"Registered {row.version} ({row.size / 1024:.0f} KiB, sha256 {row.sha256[:12]}…)")
    if result.promoted:
        forced = " (forced past the gate)" if not candidate.verdict.passed else ""
        click.echo(f"Promoted {row.version}{forced}: every worker switches within "
                   f"{current_app.config['MODEL_CHECK_SECONDS']:g} s. "
                   "Re-rank the queue with `flask model rescore --open`.")
    elif promote:
        click.echo("Not promoted: the gate failed. Promote anyway with "
                   f"`flask model promote {row.version} --force`.")
    else:
        click.echo(f"Not promoted. Make it active with `flask model promote {row.version}`.")


def comparison_header(n: int, active_version: str | None) -> str:
    """Return the header of the candidate/active table; a long version never joins the two."""
    return (f"{'held-out (' + str(n) + ' reports)':<32}{'candidate':>10}"
            f"  {'active ' + (active_version or '-'):>26}")


def _side_by_side(candidate: model_training.Candidate, split) -> None:
    new, old = candidate.metrics, candidate.active_metrics
    if new is None:
        click.echo("No held-out decisions: nothing to compare on.")
        return
    click.echo(comparison_header(new["n"], candidate.active_version))
    for key in METRICS:
        click.echo(f"  {key:<30}{_fmt(metric(new, key)):>10}{_fmt(metric(old, key)):>28}")
    click.echo("  per-topic F1 (held-out reports)")
    support = {t: split.held_out.topics.count(t) for t in classifier.TOPICS}
    trained = {t: split.train.topics.count(t) for t in classifier.TOPICS}
    for topic in classifier.TOPICS:
        if not support[topic] and topic not in new["topic"]["per_class_f1"]:
            continue
        mine = new["topic"]["per_class_f1"].get(topic)
        theirs = (old or {}).get("topic", {}).get("per_class_f1", {}).get(topic)
        click.echo(f"    {topic:<20} n={support[topic]:<6}{_fmt(mine):>10}{_fmt(theirs):>28}"
                   f"   trained on {trained[topic]}")


@model_cli.command("ensure-starter")
def ensure_starter() -> None:
    """Train the starter model when no model exists yet (used by `make run`)."""
    if triage.has_models():
        click.echo("A model is registered; nothing to do.")
        return
    click.echo("No model yet: training the starter model (takes a few seconds).")
    triage.train_and_register(classifier.load_starter_corpus(), created_by="starter",
                              progress=_say)
    db.session.commit()
    click.echo("Starter model trained and active.")


@model_cli.command("evaluate")
@click.argument("version", required=False)
@click.option("--data", "path", type=click.Path(exists=True, dir_okay=False), required=True,
              help="Labelled CSV (text,topic,actionable) the model has not been trained on.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(version: str | None, path: str, as_json: bool) -> None:
    """Measure a version (default: the active one) on a labelled file."""
    data = _read(path)
    model, version = model_for(version)
    metrics = classifier.evaluate(model, data)
    if as_json:
        click.echo(json.dumps(metrics, ensure_ascii=False))
        return
    click.echo(f"Model {version} on {metrics['n']} reports from {path}")
    click.echo(f"  topic accuracy {metrics['topic']['accuracy']:.3f}  "
               f"macro-F1 {metrics['topic']['macro_f1']:.3f}")
    for topic, f1 in metrics["topic"]["per_class_f1"].items():
        click.echo(f"    {topic:<20} F1 {f1:.3f}")
    act = metrics["actionable"]
    click.echo(f"  actionable ROC-AUC {_fmt(act['roc_auc'])}  AP {_fmt(act['average_precision'])}"
               f"  Brier {_fmt(act['brier'])}")


@model_cli.command("rescore")
@click.option("--unscored", "scope", flag_value="unscored", default=True,
              help="Score reports left unscored at intake (the default).")
@click.option("--open", "scope", flag_value="open",
              help="Re-rank every report in open cases with the active model.")
@click.option("--all", "scope", flag_value="all", help="Rescore every report.")
def rescore(scope: str) -> None:
    """Score reports with the active model, with progress."""
    only_unscored, open_only = scope == "unscored", scope == "open"
    total = db.session.scalar(
        db.select(db.func.count()).select_from(
            triage.rescore_query(only_unscored=only_unscored, open_only=open_only).subquery()))
    with click.progressbar(length=total or 0, label="Scoring", show_pos=True) as bar:
        done = 0
        try:
            for scored in triage.rescore_batches(only_unscored=only_unscored,
                                                 open_only=open_only):
                db.session.commit()  # one commit per batch: a long rescore never holds the lock
                done += scored
                bar.update(scored)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    active = triage.active_model()
    model_registry.record_rescore(scope, done, active.version if active else None,
                                  actor=actor())
    db.session.commit()
    click.echo(f"Scored {done} reports.")


@model_cli.command("uncertain")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--desk", "desks", multiple=True, type=click.Choice(triage.TOPICS),
              help="Only these desks (repeatable).")
def uncertain(limit: int, desks: tuple[str, ...]) -> None:
    """List open cases the model is least sure about: label these first."""
    found = uncertainty.least_certain(limit, list(desks) or None)
    if not found:
        click.echo("No scored open cases.")
        return
    click.echo(f"{'case':>8}  {'uncertainty':>11}  {'P(act)':>6}  {'margin':>6}  desk / title")
    for item in found:
        case = item.case
        click.echo(f"{case.id:>8}  {item.uncertainty:>11.3f}  {_fmt(case.p_actionable):>6}  "
                   f"{_fmt(item.topic_margin):>6}  {case.topic or '-'} / {(case.title or '')[:60]}")

