"""Fitting and timing the project's features and models on dataset fields (bench.datasets)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion

from classifier.fast import FeatureSpace
from classifier.features import ModelSettings, build_features, build_pipeline
from classifier.linear import LinearHead


@dataclass
class FieldModel:
    """Fitted feature unions over one or more text fields, weighted, plus one classifier."""

    unions: list[FeatureUnion]
    weights: list[float]
    clf: object

    def matrix(self, fields: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Return the weighted, concatenated feature matrix of the given field columns."""
        blocks = [w * u.transform(list(f)) for u, w, f in zip(
            self.unions, self.weights, fields, strict=True)]
        return sp.hstack(blocks, format="csr")

    def scores(self, fields: Sequence[Sequence[str]]) -> np.ndarray:
        """Return predict_proba of the classifier over the fields."""
        return self.clf.predict_proba(self.matrix(fields))

    def fast_scorer(self) -> Callable[[Sequence[str]], np.ndarray]:
        """Return the numpy fast path over one item's fields (as the product uses it)."""
        spaces = [FeatureSpace(u) for u in self.unions]
        offsets = np.cumsum([0] + [s.width for s in spaces])[:-1]
        head = LinearHead(self.clf)

        def score(item: Sequence[str]) -> np.ndarray:
            rows = [s.row(text) for s, text in zip(spaces, item, strict=True)]
            idx = np.concatenate([r[0] + o for r, o in zip(rows, offsets, strict=True)])
            val = np.concatenate([r[1] * w for r, w in zip(rows, self.weights, strict=True)])
            return head.predict_proba(idx, val)

        return score


def nb_ratio(x: sp.csr_matrix, y: Sequence[object]) -> np.ndarray:
    """Return each column's |log-count ratio| between the two classes (NB-SVM, Wang &
    Manning 2012), from binarised counts with add-one smoothing."""
    labels = np.asarray(y)
    classes = np.unique(labels)
    if len(classes) != 2:
        raise ValueError("the NB scale is defined for two classes")
    present = (x > 0).astype(np.float64)
    p = np.asarray(present[labels == classes[1]].sum(0)).ravel() + 1.0
    q = np.asarray(present[labels == classes[0]].sum(0)).ravel() + 1.0
    return np.abs(np.log((p / p.sum()) / (q / q.sum())))


def fit(settings: Sequence[ModelSettings], weights: Sequence[float],
        fields: Sequence[Sequence[str]], y: Sequence[object], cs: Sequence[float],
        nb_power: float | None = None,
        ) -> dict[float, FieldModel]:
    """Fit the feature unions once and one calibrated classifier per C on top.

    nb_power: train on columns scaled by nb_ratio ** nb_power, then fold that scale into
    the classifier's weights, so the model (and its fast path) scores unscaled rows.
    """
    unions = [build_features(s).fit(list(f)) for s, f in zip(settings, fields, strict=True)]
    probe = FieldModel(unions, list(weights), None)
    x = probe.matrix(fields)
    scale = nb_ratio(x, y) ** nb_power if nb_power else None
    x_fit = x @ sp.diags(scale) if scale is not None else x
    models = {}
    for c in cs:
        clf = build_pipeline(settings[0].but(C=c), n_rows=x.shape[0]).steps[1][1]
        clf.fit(x_fit, list(y))
        if scale is not None:
            for member in clf.calibrated_classifiers_:  # one fitted linear model each
                member.estimator.coef_ = member.estimator.coef_ * scale
        models[c] = FieldModel(unions, list(weights), clf)
    return models


def timed_per_item(model: FieldModel, items: list[Sequence[str]]) -> float:
    """Return the median fast-path microseconds per item, after checking it is exact."""
    score = model.fast_scorer()
    check = model.scores(list(zip(*items[:50], strict=True)))
    assert np.allclose([score(i) for i in items[:50]], check, atol=1e-9, rtol=0)
    times = []
    for item in items[:2000]:
        start = time.perf_counter_ns()
        score(item)
        times.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(times)


def grid_search(name: str, configs: dict[str, tuple],
                train: list[list[str]], y_train: list, val: list[list[str]], y_val: list,
                cs: Sequence[float], metric: Callable[[list, np.ndarray], float],
                field_count: Callable[[str], int] = lambda _: 1,
                ) -> tuple[str, float, FieldModel]:
    """Return (config, C, model) with the best validation metric; print every cell.

    Each config is (settings, weights) or (settings, weights, nb_power) (see fit)."""
    best: tuple[float, str, float, FieldModel] | None = None
    for label, (settings, weights, *nb) in configs.items():
        n = len(settings)
        models = fit(settings, weights, train[:n], y_train, cs, *nb)
        cells = []
        for c, model in models.items():
            value = metric(y_val, model.scores(val[:n]))
            cells.append(f"C={c:g}: {value:.4f}")
            if best is None or value > best[0]:
                best = (value, label, c, model)
        print(f"  [{name} val] {label}: " + ", ".join(cells), flush=True)
    assert best is not None
    print(f"  [{name}] chosen on validation: {best[1]}, C={best[2]:g} ({best[0]:.4f})")
    return best[1], best[2], best[3]


def accuracy(y: list, proba: np.ndarray, classes: Sequence[object]) -> float:
    """Return accuracy of the argmax class."""
    return float(accuracy_score(y, np.asarray(classes)[proba.argmax(1)]))


def macro_f1(y: list, proba: np.ndarray) -> float:
    """Return binary macro-F1 at the 0.5 threshold (classes 0/1)."""
    return float(f1_score(y, proba.argmax(1), average="macro"))


def mean_ap(groups: list[np.ndarray], y: np.ndarray, score: np.ndarray) -> float:
    """Return MAP over groups: AP = mean precision at each relevant rank (CLEF scorer)."""
    aps = []
    for g in groups:
        order = g[np.argsort(-score[g], kind="stable")]
        hits = y[order] == 1
        ranks = np.flatnonzero(hits) + 1
        aps.append(float(np.mean(np.arange(1, len(ranks) + 1) / ranks)) if len(ranks) else 0.0)
    return float(np.mean(aps))
