"""`flask model ...`: train, evaluate and rescore the triage model."""

import getpass
import json

import click
from flask.cli import AppGroup

import classifier

from . import triage

model_cli = AppGroup("model", help="Train, evaluate and apply the triage model.")


def _read(path: str | None) -> classifier.LabelledData:
    try:
        return classifier.read_labelled_csv(path) if path else classifier.load_starter_corpus()
    except classifier.DataError as exc:
        where = f"line {exc.row}: " if exc.row else ""
        raise click.ClickException(f"{path}: {where}{exc.reason}") from exc


@model_cli.command("train")
@click.option("--data", "path", type=click.Path(exists=True, dir_okay=False),
              help="CSV with columns text,topic,actionable (default: the starter corpus).")
@click.option("--activate/--no-activate", default=True, show_default=True,
              help="Make the new version the one every worker scores with.")
def train(path: str | None, activate: bool) -> None:
    """Train a model, measure it on held-out folds and register it."""
    data = _read(path)
    click.echo(f"Training on {len(data)} labelled reports from {path or 'the starter corpus'}")
    row = triage.train_and_register(data, created_by=getpass.getuser(), activate=activate,
                                    progress=lambda msg: click.echo(f"  {msg}"))
    metrics = row.card["metrics"]
    click.echo(f"Registered {row.version} ({row.size / 1024:.0f} KiB, sha256 {row.sha256[:12]}…)"
               f"{' and made it active' if activate else ''}.")
    click.echo(f"Held-out: topic accuracy {metrics['topic']['accuracy']:.3f}, macro-F1 "
               f"{metrics['topic']['macro_f1']:.3f}; actionable ROC-AUC "
               f"{metrics['actionable']['roc_auc']:.3f}, AP "
               f"{metrics['actionable']['average_precision']:.3f}")
    if activate and triage.unscored_count():
        click.echo(f"{triage.unscored_count()} reports are unscored: run `flask model rescore`.")


@model_cli.command("ensure-starter")
def ensure_starter() -> None:
    """Train the starter model when no model exists yet (used by `make run`)."""
    if triage.has_models():
        click.echo("A model is registered; nothing to do.")
        return
    click.echo("No model yet: training the starter model (takes a few seconds).")
    triage.train_and_register(classifier.load_starter_corpus(), created_by="starter",
                              progress=lambda msg: click.echo(f"  {msg}"))
    click.echo("Starter model trained and active.")


@model_cli.command("evaluate")
@click.option("--data", "path", type=click.Path(exists=True, dir_okay=False), required=True,
              help="Labelled CSV (text,topic,actionable) the model has not been trained on.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
def evaluate(path: str, as_json: bool) -> None:
    """Measure the active model on a labelled file."""
    data = _read(path)
    active = triage.active_model(fresh=True)
    if active is None:
        raise click.ClickException("No usable active model. Train one: flask model train")
    metrics = classifier.evaluate(active.model, data)
    if as_json:
        click.echo(json.dumps(metrics, ensure_ascii=False))
        return
    click.echo(f"Model {active.version} on {metrics['n']} reports from {path}")
    click.echo(f"  topic accuracy {metrics['topic']['accuracy']:.3f}  "
               f"macro-F1 {metrics['topic']['macro_f1']:.3f}")
    for topic, f1 in metrics["topic"]["per_class_f1"].items():
        click.echo(f"    {topic:<20} F1 {f1:.3f}")
    act = metrics["actionable"]
    click.echo(f"  actionable ROC-AUC {_fmt(act['roc_auc'])}  AP {_fmt(act['average_precision'])}"
               f"  Brier {_fmt(act['brier'])}")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@model_cli.command("rescore")
@click.option("--all", "everything", is_flag=True, help="Rescore every report, not only unscored.")
def rescore(everything: bool) -> None:
    """Score reports left unscored (no model, or a model error, at intake)."""
    total = triage.unscored_count() if not everything else None
    with click.progressbar(length=total or 0, label="Scoring", show_pos=True) as bar:
        try:
            done = triage.rescore(only_unscored=not everything, progress=bar.update)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Scored {done} reports.")
