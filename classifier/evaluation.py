"""Held-out quality metrics for a TriageModel: topic routing and actionable ranking."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold

from classifier.data import TOPICS, LabelledData
from classifier.model import Progress, TriageModel, train_model


def metrics_from_predictions(
    topics: list[str], actionable: list[int], topic_proba: np.ndarray, p_actionable: np.ndarray
) -> dict:
    """Return the metrics dict from true labels and predicted probabilities (TOPICS columns)."""
    predicted = [TOPICS[j] for j in np.argmax(topic_proba, axis=1)]
    present = [t for t in TOPICS if t in set(topics) | set(predicted)]
    per_class = f1_score(topics, predicted, labels=present, average=None, zero_division=0)
    truth = [TOPICS.index(t) for t in topics]
    clipped = np.clip(topic_proba, 1e-15, 1.0)
    y = np.asarray(actionable)
    both_classes = len(set(actionable)) == 2
    return {
        "n": len(topics),
        "topic": {
            "accuracy": float(accuracy_score(topics, predicted)),
            "macro_f1": float(f1_score(topics, predicted, labels=present, average="macro")),
            "per_class_f1": {t: float(f) for t, f in zip(present, per_class, strict=True)},
            "log_loss": float(log_loss(truth, clipped, labels=range(len(TOPICS)))),
            "confusion": {
                "labels": list(TOPICS),
                "matrix": confusion_matrix(topics, predicted, labels=list(TOPICS)).tolist(),
            },
        },
        "actionable": {
            # Ranking metrics are undefined when every report has the same label.
            "roc_auc": float(roc_auc_score(y, p_actionable)) if both_classes else None,
            "average_precision": (
                float(average_precision_score(y, p_actionable)) if both_classes else None
            ),
            "brier": float(brier_score_loss(y, p_actionable, labels=[0, 1])),
        },
    }


def evaluate(model: TriageModel, data: LabelledData) -> dict:
    """Return topic and actionable metrics of a fitted model on the given reports."""
    topic_proba, p_act = model.predict_arrays(data.texts)
    return metrics_from_predictions(data.topics, data.actionable, topic_proba, p_act)


def _strata(data: LabelledData, folds: int) -> list[str]:
    # Stratify on topic x actionable when every cell is big enough, else on topic alone.
    joint = [f"{t}|{a}" for t, a in zip(data.topics, data.actionable, strict=True)]
    if min(joint.count(key) for key in set(joint)) >= folds:
        return joint
    return list(data.topics)


def out_of_fold(
    data: LabelledData,
    *,
    folds: int = 5,
    random_state: int = 0,
    progress: Progress | None = None,
    **train_options: Any,  # passed on to train_model
) -> tuple[np.ndarray, np.ndarray]:
    """Return pooled out-of-fold topic probabilities and P(actionable) for every row."""
    say = progress or (lambda _message: None)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    topic_proba = np.zeros((len(data), len(TOPICS)))
    p_act = np.zeros(len(data))
    for k, (train, test) in enumerate(splitter.split(data.texts, _strata(data, folds)), 1):
        say(f"fold {k}/{folds}: training on {len(train)}, scoring {len(test)}")
        model = train_model(data.subset(train), random_state=random_state, **train_options)
        topic_proba[test], p_act[test] = model.predict_arrays(data.subset(test).texts)
    return topic_proba, p_act


def cross_validate(
    data: LabelledData,
    *,
    folds: int = 5,
    random_state: int = 0,
    progress: Progress | None = None,
    **train_options: object,
) -> dict:
    """Return stratified k-fold held-out metrics (pooled out-of-fold predictions)."""
    topic_proba, p_act = out_of_fold(
        data, folds=folds, random_state=random_state, progress=progress, **train_options
    )
    metrics = metrics_from_predictions(data.topics, data.actionable, topic_proba, p_act)
    metrics["folds"] = folds
    return metrics
