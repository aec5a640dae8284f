"""Retrain from decisions: fit a candidate, judge it beside the active model, register it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

import classifier
from intake.audit.trail import Actor
from intake.triage import gate as model_gate
from intake.triage import registry as model_registry
from intake.triage import scoring as triage
from intake.triage.models import ModelVersion
from intake.triage.training_set import TrainingSplit

Progress = Callable[[str], None]


@dataclass
class Candidate:
    """A fitted candidate, both models' held-out metrics and the gate's verdict."""

    model: classifier.TriageModel
    metrics: dict | None
    active_metrics: dict | None
    active_version: str | None
    verdict: model_gate.Verdict
    evaluation: str


@dataclass
class TrainResult:
    """What `model train` did: the candidate, its registered row, whether it went live."""

    candidate: Candidate
    row: ModelVersion
    promoted: bool


def fit_candidate(split: TrainingSplit, *, progress: Progress | None = None) -> Candidate:
    """Fit on the split's training rows; evaluate it and the active model on the held-out rows."""
    say = progress or (lambda _message: None)
    say(f"fitting on {len(split.train)} labelled reports")
    model = classifier.train_model(split.train, random_state=0, progress=say)
    active = triage.active_model(fresh=True)
    metrics = active_metrics = None
    if len(split.held_out):
        say(f"evaluating candidate on {len(split.held_out)} held-out reports")
        metrics = classifier.evaluate(model, split.held_out)
        if active is not None:
            say(f"evaluating active model {active.version} on the same reports")
            active_metrics = classifier.evaluate(active.model, split.held_out)
    evaluation = (f"held-out: the newest {split.counts['held_out_decisions']} decisions"
                  if len(split.held_out) else "no held-out decisions")
    verdict = model_gate.judge(
        metrics, active_metrics, has_active=active is not None,
        decisions=split.counts["decisions"], held_out=len(split.held_out),
        config=current_app.config,
    )
    return Candidate(model, metrics, active_metrics, active.version if active else None,
                     verdict, evaluation)


def card_for(split: TrainingSplit, candidate: Candidate) -> dict:
    """Return the model card: data, held-out metrics beside the active model's, gate verdict."""
    return classifier.make_card(
        split.train, candidate.metrics, evaluation=candidate.evaluation,
        sources={**split.counts,
                 "since": split.since.isoformat() if split.since else None,
                 "held_out_from": (split.held_out_from.isoformat()
                                   if split.held_out_from else None)},
        held_out_sha256=split.held_out.sha256() if len(split.held_out) else None,
        compared_with={"version": candidate.active_version, "metrics": candidate.active_metrics},
        gate=candidate.verdict.to_dict(),
    )


def train(
    split: TrainingSplit, *, actor: Actor, promote: bool = False, force: bool = False,
    progress: Progress | None = None,
) -> TrainResult:
    """Fit, judge and register a candidate; promote it if asked and the gate (or force) allows."""
    candidate = fit_candidate(split, progress=progress)
    row = model_registry.register(candidate.model, card_for(split, candidate), actor=actor)
    promoted = False
    if promote and (candidate.verdict.passed or force):
        model_registry.promote(row.version, actor=actor, force=force)
        promoted = True
    return TrainResult(candidate, row, promoted)
