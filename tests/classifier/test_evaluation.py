"""Metrics have the documented shape, and cross-validation never scores what it fitted."""

from __future__ import annotations

import json

import numpy as np
import pytest

import classifier.evaluation as evaluation
from classifier import TOPICS, LabelledData, TriageModel, cross_validate, evaluate, train_model


def check_shape(metrics: dict, n: int) -> None:
    assert metrics["n"] == n
    topic = metrics["topic"]
    assert 0.0 <= topic["accuracy"] <= 1.0 and 0.0 <= topic["macro_f1"] <= 1.0
    assert set(topic["per_class_f1"]) <= set(TOPICS)
    assert all(0.0 <= f <= 1.0 for f in topic["per_class_f1"].values())
    assert topic["confusion"]["labels"] == list(TOPICS)
    matrix = topic["confusion"]["matrix"]
    assert len(matrix) == len(TOPICS) and sum(map(sum, matrix)) == n
    action = metrics["actionable"]
    assert 0.0 <= action["brier"] <= 1.0
    for key in ("roc_auc", "average_precision"):
        assert action[key] is None or 0.0 <= action[key] <= 1.0
    json.dumps(metrics)  # plain types only


def test_evaluate_shape(tiny_model: TriageModel, tiny_data: LabelledData) -> None:
    metrics = evaluate(tiny_model, tiny_data)
    check_shape(metrics, len(tiny_data))
    assert metrics["topic"]["accuracy"] > 0.9  # training-set score: nearly perfect


def test_single_class_actionable_gives_none(
    tiny_model: TriageModel, tiny_data: LabelledData
) -> None:
    positives = tiny_data.subset(i for i, a in enumerate(tiny_data.actionable) if a == 1)
    metrics = evaluate(tiny_model, positives)
    check_shape(metrics, len(positives))
    assert metrics["actionable"]["roc_auc"] is None
    assert metrics["actionable"]["average_precision"] is None


def test_cross_validate_shape(tiny_data: LabelledData) -> None:
    metrics = cross_validate(tiny_data, folds=3)
    check_shape(metrics, len(tiny_data))
    assert metrics["folds"] == 3


@pytest.mark.parametrize("folds", [3, 5])
def test_cross_validate_never_scores_training_rows(
    tiny_data: LabelledData, monkeypatch: pytest.MonkeyPatch, folds: int
) -> None:
    fits: list[set[str]] = []
    scored: list[set[str]] = []
    real_train = evaluation.train_model

    def recording_train(data: LabelledData, **options: object) -> TriageModel:
        model = real_train(data, **options)
        fits.append(set(data.texts))
        real_predict = model.predict_arrays

        def recording_predict(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
            scored.append(set(texts))
            return real_predict(texts)

        model.predict_arrays = recording_predict  # type: ignore[method-assign]
        return model

    monkeypatch.setattr(evaluation, "train_model", recording_train)
    cross_validate(tiny_data, folds=folds)
    assert len(fits) == len(scored) == folds
    for fitted, held_out in zip(fits, scored, strict=True):
        assert not fitted & held_out
    assert set().union(*scored) == set(tiny_data.texts)


def test_held_out_is_worse_than_training_score(starter_sample: LabelledData) -> None:
    # On the stratified sample (tests/corpus_sample.py): 1 + 5 fits of ~1,200 realistic
    # reports, not 5 of the full corpus. A fold that scored rows it fitted would close the gap.
    trained = evaluate(train_model(starter_sample), starter_sample)
    held_out = cross_validate(starter_sample, folds=5)
    check_shape(held_out, len(starter_sample))
    assert held_out["topic"]["accuracy"] < trained["topic"]["accuracy"] - 0.05
    assert held_out["topic"]["accuracy"] > 1.5 / len(TOPICS)  # well above chance
    assert held_out["actionable"]["roc_auc"] > 0.75
