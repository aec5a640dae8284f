"""Replay a fitted (calibrated) linear model in numpy, and explain its predictions."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC

TOP_TERMS = 8


class UnsupportedModel(Exception):
    """The pipeline holds something the numpy replay does not reproduce exactly."""


@dataclass
class _Member:
    # One fitted LR and its calibrators, as held by sklearn's _CalibratedClassifier.
    coef_t: np.ndarray  # (n_features, n_outputs), row-gatherable for sparse inputs
    intercept: np.ndarray  # (n_outputs,)
    method: str | None  # None = LR's own probabilities
    params: list[tuple[float, float]]  # sigmoid (a, b) per output, or [(beta, 0)]
    columns: np.ndarray  # where each output lands among the head's classes


def _lr_arrays(lr: object) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(lr, FrozenEstimator):  # fitted elsewhere, then calibrated on held-out rows
        lr = lr.estimator
    if not isinstance(lr, LogisticRegression | LinearSVC | SGDClassifier):
        raise UnsupportedModel(f"expected a linear classifier, got {type(lr).__name__}")
    coef = np.ascontiguousarray(np.asarray(lr.coef_, dtype=np.float64).T)
    return coef, np.asarray(lr.intercept_, dtype=np.float64)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


class LinearHead:
    """Exact numpy replay of (calibrated) LogisticRegression.predict_proba for one row."""

    def __init__(self, final_step: object) -> None:
        self.members: list[_Member] = []
        if isinstance(final_step, LogisticRegression):
            coef, intercept = _lr_arrays(final_step)
            self.classes = np.asarray(final_step.classes_)
            cols = np.arange(len(self.classes))
            self.members.append(_Member(coef, intercept, None, [], cols))
        elif isinstance(final_step, CalibratedClassifierCV):
            self.classes = np.asarray(final_step.classes_)
            for cc in final_step.calibrated_classifiers_:
                self.members.append(self._member(cc))
        else:
            raise UnsupportedModel(f"unsupported final step {type(final_step).__name__}")

    def _member(self, cc: Any) -> _Member:  # sklearn's private _CalibratedClassifier
        coef, intercept = _lr_arrays(cc.estimator)
        method = cc.method
        if method == "sigmoid":
            params = [(float(c.a_), float(c.b_)) for c in cc.calibrators]
        elif method == "temperature":
            params = [(float(cc.calibrators[0].beta_), 0.0)]
        else:
            raise UnsupportedModel(f"unsupported calibration method {method!r}")
        position = {label: i for i, label in enumerate(self.classes)}
        inner = list(cc.estimator.classes_)
        if all(label in position for label in inner):
            cols = np.asarray([position[label] for label in inner])
        else:
            # Temperature scaling label-encodes string targets before fitting the LR,
            # so its classes are already positions in self.classes.
            cols = np.asarray(inner, dtype=np.intp)
        return _Member(coef, intercept, method, params, cols)

    @property
    def coef_t(self) -> np.ndarray:
        """Return the (n_features, n_outputs) weights used to explain predictions."""
        # Members share the vocabulary; averaging keeps explanations for ensembles sane.
        total: np.ndarray = reduce(operator.add, (m.coef_t for m in self.members))
        return total / len(self.members)

    def predict_proba(self, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        """Return class probabilities for one sparse row given as (indices, values)."""
        total = np.zeros(len(self.classes))
        for member in self.members:
            total += self._member_proba(member, val @ member.coef_t[idx] + member.intercept)
        proba = total / len(self.members)
        proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
        return proba

    def _member_proba(self, m: _Member, d: np.ndarray) -> np.ndarray:
        n = len(self.classes)
        proba = np.zeros(n)
        binary = d.shape[0] == 1
        if m.method is None:
            if binary:
                p = expit(d[0])
                return np.asarray([1.0 - p, p])
            return _softmax(d)
        if m.method == "temperature":
            logits = np.asarray([-d[0], d[0]]) if binary else d
            # sklearn treats rows that look like probabilities as such; mirror it.
            if not binary and np.all((d >= 0) & (d <= 1)) and np.isclose(d.sum(), 1.0):
                logits = np.log(d + 1e-12)
            return _softmax(m.params[0][0] * logits)
        for (a, b), col, value in zip(m.params, m.columns[: len(d)], d, strict=True):
            proba[col + 1 if n == 2 else col] = expit(-(a * value + b))
        if n == 2:
            proba[0] = 1.0 - proba[1]
            return proba
        denominator = proba.sum()
        return proba / denominator if denominator != 0 else np.full(n, 1.0 / n)


def shown_mask(names: list[str]) -> np.ndarray:
    """Return which columns may appear in explanations (names of 2+ characters)."""
    # Single characters ("电", "b") mean nothing to a moderator; "" marks hidden names.
    return np.fromiter((len(name) >= 2 for name in names), dtype=bool, count=len(names))


def top_terms(
    idx: np.ndarray,
    val: np.ndarray,
    weights: np.ndarray,
    names: list[str],
    *,
    signed: bool = False,
    k: int = TOP_TERMS,
    shown: np.ndarray | None = None,
) -> list[tuple[str, float]]:
    """Return up to k (term, contribution) pairs: largest first, or largest |c| if signed."""
    contrib = val * weights[idx]
    keep = contrib != 0.0
    keep &= shown_mask(names)[idx] if shown is None else shown[idx]
    idx, contrib = idx[keep], contrib[keep]
    key = -np.abs(contrib) if signed else -contrib
    # Only the strongest few are ever shown: sort a prefix (all ties at its edge included,
    # so it is exactly the start of the full order), and the whole row only if the prefix
    # runs out of terms to show.
    limit = 4 * k
    while True:
        if limit < len(key):
            edge = np.partition(key, limit - 1)[limit - 1]
            part = np.flatnonzero(key <= edge)
        else:
            part = np.arange(len(key))
        # Features that always co-occur get identical weights: break ties by column so the
        # fast path and the batch path list the same terms.
        order = part[np.lexsort((idx[part], key[part]))]
        chosen = _choose(order, idx, contrib, names, k)
        if len(chosen) == k or len(part) == len(key):
            return chosen
        limit *= 4


def _choose(
    order: np.ndarray, idx: np.ndarray, contrib: np.ndarray, names: list[str], k: int
) -> list[tuple[str, float]]:
    chosen: list[tuple[str, float]] = []
    for pos in order.tolist():
        c = float(contrib[pos])
        name = names[idx[pos]]
        # Overlapping n-grams ("电池起", "池起") repeat a stronger term already shown.
        if any(name in seen and (c > 0) == (w > 0) for seen, w in chosen):
            continue
        chosen.append((name, c))
        if len(chosen) == k:
            break
    return chosen
