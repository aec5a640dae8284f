"""Build the feature union and the per-task scikit-learn Pipelines from settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.text import WORD_TOKEN_PATTERN, CheapSignals, normalise


@dataclass(frozen=True)
class ModelSettings:
    """Hyper-parameters of one task's pipeline; None disables a feature block."""

    word_ngrams: tuple[int, int] | None = (1, 2)
    word_weight: float = 1.0  # scales the Latin-word block against the char n-grams
    char_ngrams: tuple[int, int] | None = (1, 3)
    char_analyzer: str = "char_wb"
    min_df: int = 2
    max_features: int | None = None
    signals: bool = False  # cheap surface signals: kept for models trained before
    signal_weight: float = 1.0  # 0 keeps the columns (a matrix shared by both tasks) unused
    estimator: str = "linear-svm"  # or "logistic", or "sgd" (linear SVM by SGD, for big data)
    C: float = 1.0
    class_weight: str | None = None
    calibration: str | None = "temperature"  # or "sigmoid"; None = plain logistic
    calibration_folds: int = 5
    max_iter: int = 3000
    sgd_epochs: int = 10
    calibration_share: float = 0.1  # "sgd": held-out share for calibration (no k-fold)

    def but(self, **changes: object) -> ModelSettings:
        """Return a copy with some fields changed (for tuning grids)."""
        return replace(self, **changes)  # type: ignore[arg-type]


# The cheap surface signals (length, links, punctuation, ...) stay off: on the first corpus
# they let length stand in for the label, and on real posts the model never trains on
# (bench/transfer.py: Weibo21 val, CED's 80 % part) they gained nothing. Halving the word
# block helps routing (a few Latin tokens in a Chinese report otherwise outweigh all its
# characters); one temperature keeps the topic argmax and fits its confidence best,
# Platt's intercept suits the binary task.
TOPIC_SETTINGS = ModelSettings(signals=False, word_weight=0.5, calibration="temperature")
ACTIONABLE_SETTINGS = ModelSettings(signals=False, calibration="sigmoid")

# From LARGE_DATA reports up, k-fold calibrated LinearSVC on a vocabulary built in one
# process takes minutes (and hours at a million): train_model then analyses the texts once,
# in parallel, shares the matrix between both tasks and fits a hinge-loss SGD (the same
# model family as LinearSVC; within 0.2 points of it on Weibo21) calibrated on a held-out
# share. Vocabularies are capped to keep the model a few hundred MB.
LARGE_DATA = 50_000
LARGE_TOPIC_SETTINGS = TOPIC_SETTINGS.but(
    estimator="sgd", max_features=400_000, calibration_share=0.05,
)
LARGE_ACTIONABLE_SETTINGS = ACTIONABLE_SETTINGS.but(
    estimator="sgd", max_features=400_000, calibration_share=0.05
)


def build_features(settings: ModelSettings) -> FeatureUnion:
    """Return the word + char TF-IDF (+ cheap signals) union described by settings."""
    blocks: list[tuple[str, object]] = []
    common = {
        "preprocessor": normalise,
        "sublinear_tf": True,
        "min_df": settings.min_df,
        "max_features": settings.max_features,
        "dtype": np.float64,
    }
    # Characters first: a task without word n-grams then puts them at the same columns,
    # so the fast path analyses a report's characters once for both tasks.
    if settings.char_ngrams is not None:
        char = TfidfVectorizer(
            analyzer=settings.char_analyzer, ngram_range=settings.char_ngrams, **common
        )
        blocks.append(("char", char))
    if settings.word_ngrams is not None:
        word = TfidfVectorizer(
            analyzer="word",
            token_pattern=WORD_TOKEN_PATTERN,
            ngram_range=settings.word_ngrams,
            **common,
        )
        blocks.append(("word", word))
    if settings.signals:
        blocks.append(("signals", CheapSignals()))
    if not blocks:
        raise ValueError("settings disable every feature block")
    weights = {}
    if settings.word_ngrams is not None and settings.word_weight != 1.0:
        weights["word"] = settings.word_weight
    if settings.signals and settings.signal_weight != 1.0:
        weights["signals"] = settings.signal_weight
    return FeatureUnion(blocks, transformer_weights=weights or None)


def calibration_folds(labels: Sequence[object], wanted: int) -> int:
    """Return how many calibration folds the rarest class allows (0 = cannot calibrate)."""
    counts: dict[object, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    folds = min(wanted, min(counts.values()))
    return folds if folds >= 2 else 0


def _logistic(settings: ModelSettings, random_state: int) -> LogisticRegression:
    # A squared-hinge C of ~1 regularises about as much as a logistic C of ~10 here.
    c = settings.C if settings.estimator == "logistic" else 10.0 * settings.C
    return LogisticRegression(
        C=c,
        class_weight=settings.class_weight,
        max_iter=settings.max_iter,
        random_state=random_state,
    )


def sgd_classifier(
    settings: ModelSettings, n_fit: int, *, random_state: int = 0, n_jobs: int | None = None
) -> SGDClassifier:
    """Return the hinge-loss SGD whose regularisation matches LinearSVC(C) on n_fit rows."""
    return SGDClassifier(
        loss="hinge",
        alpha=1.0 / (settings.C * max(n_fit, 1)),
        max_iter=settings.sgd_epochs,
        tol=None,
        class_weight=settings.class_weight,
        random_state=random_state,
        n_jobs=n_jobs,
    )


def build_pipeline(
    settings: ModelSettings,
    *,
    random_state: int = 0,
    folds: int | None = None,
    n_rows: int | None = None,
) -> Pipeline:
    """Return an unfitted features -> calibrated linear classifier Pipeline.

    The "sgd" estimator needs n_rows, the size of the training set, to set its penalty.
    """
    folds = settings.calibration_folds if folds is None else folds
    if settings.estimator == "sgd":
        if n_rows is None:
            raise ValueError("the sgd estimator needs n_rows (the training set size)")
        # One fit on most rows, calibrated on the held-out rest (see LARGE_DATA).
        split = StratifiedShuffleSplit(
            1, test_size=settings.calibration_share, random_state=random_state
        )
        n_fit = n_rows - int(np.ceil(n_rows * settings.calibration_share))
        sgd = sgd_classifier(settings, n_fit, random_state=random_state)
        clf: object = CalibratedClassifierCV(
            sgd, method=settings.calibration or "sigmoid", cv=split, ensemble=True
        )
    elif settings.calibration is None or folds < 2:
        # Too few examples of some class to hold any out: use a logistic regression's own
        # probabilities rather than refuse to train on a young moderator dataset.
        clf = _logistic(settings, random_state)
    else:
        base: object = _logistic(settings, random_state)
        if settings.estimator == "linear-svm":
            base = LinearSVC(
                C=settings.C,
                class_weight=settings.class_weight,
                max_iter=settings.max_iter,
                random_state=random_state,
            )
        cv = StratifiedKFold(folds, shuffle=True, random_state=random_state)
        # ensemble=False: one model on all data plus one calibrator fitted on out-of-fold
        # scores, so prediction costs a single dot product (and the fast path stays simple).
        clf = CalibratedClassifierCV(base, method=settings.calibration, cv=cv, ensemble=False)
    return Pipeline([("features", build_features(settings)), ("clf", clf)])
