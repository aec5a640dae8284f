"""Train both task pipelines from one shared, parallel-built matrix (large training sets)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.data import UNLABELLED, LabelledData
from classifier.features import ModelSettings, build_features, sgd_classifier
from classifier.scale import fit_union

_FEATURE_FIELDS = ("word_ngrams", "char_ngrams", "char_analyzer", "min_df", "max_features",
                   "signals")


def can_share(topic: ModelSettings, actionable: ModelSettings) -> bool:
    """Tell whether both tasks are SGD over the same feature blocks (one matrix for both)."""
    same = all(getattr(topic, f) == getattr(actionable, f) for f in _FEATURE_FIELDS)
    return same and topic.estimator == actionable.estimator == "sgd"


def _rows(x: sp.csr_matrix, start: int, stop: int) -> sp.csr_matrix:
    """Return rows start:stop of a CSR matrix as a view on its data (no copy)."""
    a, b = x.indptr[start], x.indptr[stop]
    indptr = x.indptr[start : stop + 1] - a
    return sp.csr_matrix((x.data[a:b], x.indices[a:b], indptr), shape=(stop - start, x.shape[1]),
                         copy=False)


def calibration_split(data: LabelledData, share: float, random_state: int) -> np.ndarray:
    """Return row order: fitting rows first, then the held-out calibration rows."""
    joint = np.asarray([f"{t}|{a}" for t, a in zip(data.topics, data.actionable, strict=True)])
    topics = np.asarray(data.topics)
    n_test = int(np.ceil(len(joint) * share))
    for strata in (joint, topics):
        counts = np.unique(strata, return_counts=True)[1]
        if counts.min() >= 2 and len(counts) <= min(n_test, len(joint) - n_test):
            split = StratifiedShuffleSplit(1, test_size=share, random_state=random_state)
            fit, cal = next(split.split(strata, strata))
            break
    else:  # a class seen once cannot be on both sides; too few rows for every class
        fit, cal = next(ShuffleSplit(1, test_size=share, random_state=random_state).split(joint))
    return np.concatenate([fit, cal])


def _fitted_union(settings: ModelSettings, fitted: FeatureUnion, last: bool) -> FeatureUnion:
    """Return settings' union holding the fitted blocks (copies, but for the last task)."""
    union = build_features(settings)
    blocks = dict(fitted.transformer_list)
    union.transformer_list = [
        (name, blocks[name] if last else copy.deepcopy(blocks[name]))
        for name, _ in union.transformer_list
    ]
    return union


def _head(settings: ModelSettings, x: sp.csr_matrix, y: np.ndarray, n_fit: int,
          random_state: int, n_jobs: int | None) -> CalibratedClassifierCV:
    """Fit SGD on the first n_fit rows, calibrate it on the rest (UNLABELLED rows skipped)."""
    if y.dtype.kind in "iu" and (y == UNLABELLED).any():
        fit = np.flatnonzero(y[:n_fit] != UNLABELLED)
        cal = n_fit + np.flatnonzero(y[n_fit:] != UNLABELLED)
        x, y, n_fit = x[np.concatenate([fit, cal])], y[np.concatenate([fit, cal])], len(fit)
    sgd = sgd_classifier(settings, n_fit, random_state=random_state, n_jobs=n_jobs)
    sgd.fit(_rows(x, 0, n_fit), y[:n_fit])
    # The frozen model is not refitted: the 2 "folds" only satisfy the API, and every
    # held-out row is used once to fit the calibrator.
    calibrated = CalibratedClassifierCV(FrozenEstimator(sgd),
                                        method=settings.calibration or "sigmoid", cv=2)
    return calibrated.fit(_rows(x, n_fit, x.shape[0]), y[n_fit:])


def train_shared(
    data: LabelledData,
    tasks: Sequence[tuple[ModelSettings, Sequence[object] | np.ndarray]],
    *,
    random_state: int = 0,
    n_jobs: int | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> list[Pipeline]:
    """Return one fitted Pipeline per (settings, labels) task, all from one matrix."""
    share = max(s.calibration_share for s, _ in tasks)
    order = calibration_split(data, share, random_state)
    n_fit = len(order) - int(np.ceil(len(order) * share))
    texts = [data.texts[i] for i in order]
    fitted = build_features(tasks[0][0].but(word_weight=1.0))
    say(f"analysing {len(texts)} reports in parallel chunks")
    x, starts = fit_union(fitted, texts, n_jobs=n_jobs)
    del texts
    names = [name for name, _ in fitted.transformer_list]
    word, signals = (_columns_of(x, starts, names, name) for name in ("word", "signals"))
    raw = [(word, x.data[word]) if word is not None else None,
           (signals, x.data[signals]) if signals is not None else None]
    pipelines = []
    for k, (settings, labels) in enumerate(tasks):
        # Each task weights the shared columns as its own FeatureUnion would.
        for part, weight in zip(raw, (settings.word_weight, settings.signal_weight), strict=True):
            if part is not None:
                x.data[part[0]] = part[1] * np.float32(weight)
        y = np.asarray(labels)[order]
        say(f"fitting a {len(np.unique(y))}-class head on {n_fit} reports, "
            f"calibrating on {len(y) - n_fit}")
        clf = _head(settings, x, y, n_fit, random_state, n_jobs)
        union = _fitted_union(settings, fitted, last=k == len(tasks) - 1)
        pipelines.append(Pipeline([("features", union), ("clf", clf)]))
    return pipelines


def _columns_of(x: sp.csr_matrix, starts: list[int], names: list[str], name: str
                ) -> np.ndarray | None:
    """Return the positions in x.data of one named block's columns (None: no such block)."""
    if name not in names:
        return None
    k = names.index(name)
    end = starts[k + 1] if k + 1 < len(starts) else x.shape[1]
    return np.flatnonzero((x.indices >= starts[k]) & (x.indices < end))
