"""Build the feature union and the per-task scikit-learn Pipelines from settings."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
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
    signals: bool = True
    estimator: str = "linear-svm"  # or "logistic"
    C: float = 1.0
    class_weight: str | None = None
    calibration: str | None = "temperature"  # or "sigmoid"; None = plain logistic
    calibration_folds: int = 5
    max_iter: int = 3000

    def but(self, **changes: object) -> ModelSettings:
        """Return a copy with some fields changed (for tuning grids)."""
        return replace(self, **changes)  # type: ignore[arg-type]


# Chosen by repeated 5-fold CV on the starter corpus (bench/starter_quality.py): the
# signals help the actionable task but not topic routing; halving the word block helps
# routing (a few Latin tokens in a Chinese report otherwise outweigh all its characters);
# one temperature keeps the topic argmax and fits its confidence best, Platt's intercept
# suits the binary task.
TOPIC_SETTINGS = ModelSettings(signals=False, word_weight=0.5, calibration="temperature")
ACTIONABLE_SETTINGS = ModelSettings(signals=True, calibration="sigmoid")


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
    if settings.word_ngrams is not None:
        word = TfidfVectorizer(
            analyzer="word",
            token_pattern=WORD_TOKEN_PATTERN,
            ngram_range=settings.word_ngrams,
            **common,
        )
        blocks.append(("word", word))
    if settings.char_ngrams is not None:
        char = TfidfVectorizer(
            analyzer=settings.char_analyzer, ngram_range=settings.char_ngrams, **common
        )
        blocks.append(("char", char))
    if settings.signals:
        blocks.append(("signals", CheapSignals()))
    if not blocks:
        raise ValueError("settings disable every feature block")
    weighted = settings.word_ngrams is not None and settings.word_weight != 1.0
    weights = {"word": settings.word_weight} if weighted else None
    return FeatureUnion(blocks, transformer_weights=weights)


def calibration_folds(labels: list[object], wanted: int) -> int:
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


def build_pipeline(
    settings: ModelSettings, *, random_state: int = 0, folds: int | None = None
) -> Pipeline:
    """Return an unfitted features -> calibrated linear classifier Pipeline."""
    folds = settings.calibration_folds if folds is None else folds
    if settings.calibration is None or folds < 2:
        # Too few examples of some class to hold any out: use a logistic regression's own
        # probabilities rather than refuse to train on a young moderator dataset.
        clf: object = _logistic(settings, random_state)
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
