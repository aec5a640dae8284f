"""Train the two task pipelines and turn their outputs into explained Predictions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.pipeline import Pipeline

from classifier.augment import with_fillers
from classifier.data import TOPICS, UNLABELLED, LabelledData
from classifier.explain import Explainer
from classifier.fast import FastPipeline, FeatureSpace, Row
from classifier.features import (
    ACTIONABLE_SETTINGS,
    LARGE_ACTIONABLE_SETTINGS,
    LARGE_DATA,
    LARGE_TOPIC_SETTINGS,
    TOPIC_SETTINGS,
    ModelSettings,
    build_pipeline,
    calibration_folds,
)
from classifier.large import can_share, train_shared
from classifier.linear import UnsupportedModel, top_terms
from classifier.text import normalise

Progress = Callable[[str], None]


@dataclass
class Prediction:
    """Topic, actionable probability and the terms behind each, for one report."""

    topic: str
    topic_probabilities: dict[str, float]
    p_actionable: float
    topic_terms: list[tuple[str, float]]
    actionable_terms: list[tuple[str, float]]
    # Spans of the report's own text (classifier.explain): what moderators are shown.
    reasons: dict[str, list[dict[str, object]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Return plain JSON-ready data (term pairs become [term, weight] lists)."""
        out = asdict(self)
        out["topic_terms"] = [[t, w] for t, w in self.topic_terms]
        out["actionable_terms"] = [[t, w] for t, w in self.actionable_terms]
        return out


class TriageModel:
    """A fitted topic pipeline and actionable pipeline, with a fast single-report path."""

    def __init__(self, topic_pipeline: Pipeline, actionable_pipeline: Pipeline) -> None:
        self.topic_pipeline = topic_pipeline
        self.actionable_pipeline = actionable_pipeline
        self.topic_classes = [str(c) for c in topic_pipeline.classes_]
        self.positive_column = list(actionable_pipeline.classes_).index(1)
        # Derived at load, never stored: the artifact holds only sklearn objects.
        self.fast_topic: FastPipeline | None = None
        self.fast_actionable: FastPipeline | None = None
        self.explainer: Explainer | None = None
        try:
            self.fast_topic = FastPipeline(topic_pipeline)
            # Both tasks learn the same vocabularies, so their TF-IDF blocks are shared.
            space = FeatureSpace(actionable_pipeline.steps[0][1], self.fast_topic.space)
            self.fast_actionable = FastPipeline(actionable_pipeline, space)
            self.explainer = Explainer(self.fast_topic, self.fast_actionable)
        except UnsupportedModel:
            self.fast_topic = self.fast_actionable = None

    def _prediction(
        self, text: str, topic_proba: np.ndarray, p_act: float, t_row: Row, a_row: Row
    ) -> Prediction:
        """Build a Prediction from probabilities and the feature rows behind them."""
        if self.fast_topic is None or self.fast_actionable is None or self.explainer is None:
            raise ValueError("the model was not prepared for scoring (fast pipelines, explainer)")
        best = int(np.argmax(topic_proba))
        coef = self.fast_topic.coef_t
        # A two-topic model has one weight column, pointing towards the second topic.
        t_weights = coef[:, best] if coef.shape[1] > 1 else coef[:, 0] * (2 * best - 1)
        t_space, a_space = self.fast_topic.space, self.fast_actionable.space
        t_terms = top_terms(*t_row, t_weights, t_space.names, shown=t_space.shown)
        a_coef = self.fast_actionable.coef_t[:, -1]
        a_terms = top_terms(*a_row, a_coef, a_space.names, signed=True, shown=a_space.shown)
        reasons = self.explainer.explain(text, best, t_row, a_row).to_dict(text)
        return Prediction(
            self.topic_classes[best], self._probs(topic_proba), p_act, t_terms, a_terms,
            reasons,
        )

    def _probs(self, topic_proba: np.ndarray) -> dict[str, float]:
        """Return probabilities for every topic key; topics never trained on get 0."""
        probs = dict.fromkeys(TOPICS, 0.0)
        pairs = zip(self.topic_classes, topic_proba, strict=True)
        probs.update({c: float(p) for c, p in pairs})
        return probs

    def predict_one(self, text: str) -> Prediction:
        """Score one report on the numpy fast path (same numbers as predict)."""
        if self.fast_topic is None or self.fast_actionable is None:
            return self.predict([text])[0]
        cache: dict[int, Row] = {}
        normalised = normalise(text)
        t_row = self.fast_topic.space.row(text, cache, normalised)
        a_row = self.fast_actionable.space.row(text, cache, normalised)
        topic_proba = self.fast_topic.predict_proba(t_row)
        p_act = float(self.fast_actionable.predict_proba(a_row)[self.positive_column])
        return self._prediction(text, topic_proba, p_act, t_row, a_row)

    def predict_arrays(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return topic probabilities (columns in TOPICS order) and P(actionable)."""
        raw = self.topic_pipeline.predict_proba(list(texts))
        topic = np.zeros((len(texts), len(TOPICS)))
        for j, cls in enumerate(self.topic_classes):
            topic[:, TOPICS.index(cls)] = raw[:, j]
        p_act = self.actionable_pipeline.predict_proba(list(texts))[:, self.positive_column]
        return topic, p_act

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Score a batch of reports through the fitted sklearn Pipelines."""
        texts = list(texts)
        if not texts:
            return []
        # Run the steps by hand to keep the feature rows for the explanations.
        (_, t_features), (_, t_clf) = self.topic_pipeline.steps
        (_, a_features), (_, a_clf) = self.actionable_pipeline.steps
        xt = sp.csr_matrix(t_features.transform(texts))
        xa = sp.csr_matrix(a_features.transform(texts))
        topic_proba = t_clf.predict_proba(xt)
        p_act = a_clf.predict_proba(xa)[:, self.positive_column]
        if self.fast_topic is None:
            # No replayable linear head: predictions without term explanations.
            return [self._bare(topic_proba[i], float(p_act[i])) for i in range(len(texts))]
        return [
            self._prediction(text, topic_proba[i], float(p_act[i]), _row(xt, i), _row(xa, i))
            for i, text in enumerate(texts)
        ]

    def _bare(self, topic_proba: np.ndarray, p_act: float) -> Prediction:
        """Build a Prediction without explanations (no replayable linear head)."""
        best = self.topic_classes[int(np.argmax(topic_proba))]
        return Prediction(best, self._probs(topic_proba), p_act, [], [])


def _row(matrix: sp.csr_matrix, i: int) -> Row:
    """Return row i of a CSR matrix as (indices, values)."""
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def train_model(
    data: LabelledData,
    *,
    random_state: int = 0,
    progress: Progress | None = None,
    topic_settings: ModelSettings | None = None,
    actionable_settings: ModelSettings | None = None,
    n_jobs: int | None = None,
) -> TriageModel:
    """Fit the topic and actionable pipelines on labelled reports.

    Without explicit settings, LARGE_DATA reports or more (at least 50 of every class)
    get the large-data settings
    (parallel vocabulary, SGD, held-out calibration); n_jobs caps the processes it uses.
    """
    say = progress or (lambda _message: None)
    if len(set(data.topics)) < 2:
        raise ValueError("need reports from at least two topics to train a topic model")
    known = [a for a in data.actionable if a != UNLABELLED]  # topic-only rows: no verdict
    if len(set(known)) < 2:
        raise ValueError("need both actionable and non-actionable reports to train")
    # Held-out calibration needs every class on both sides of the split.
    rarest = min(min(Counter(data.topics).values()), min(Counter(known).values()))
    large = len(data) >= LARGE_DATA and rarest >= 50
    if topic_settings is None:
        topic_settings = LARGE_TOPIC_SETTINGS if large else TOPIC_SETTINGS
    if actionable_settings is None:
        actionable_settings = LARGE_ACTIONABLE_SETTINGS if large else ACTIONABLE_SETTINGS
    # Calibration folds count reports, not their padded copies below.
    topic_folds = calibration_folds(list(data.topics), topic_settings.calibration_folds)
    actionable_folds = calibration_folds(known,
                                         actionable_settings.calibration_folds)
    if not large:
        # A padded copy of each report (classifier/augment.py); at large-data sizes the
        # reports themselves vary enough, and the copies would double the training time.
        # Every n-gram now occurs twice as often: min_df doubles to keep the vocabulary.
        data = with_fillers(data, seed=random_state)
        topic_settings = topic_settings.but(min_df=2 * topic_settings.min_df)
        actionable_settings = actionable_settings.but(min_df=2 * actionable_settings.min_df)
    if can_share(topic_settings, actionable_settings):
        labels = np.asarray(data.actionable, dtype=np.int64)
        tasks: list[tuple[ModelSettings, Sequence[object] | np.ndarray]] = [
            (actionable_settings, labels), (topic_settings, list(data.topics))]
        actionable, topic = train_shared(
            data, tasks, random_state=random_state, n_jobs=n_jobs, say=say
        )
        say("done")
        return TriageModel(topic, actionable)
    topic = build_pipeline(
        topic_settings,
        random_state=random_state,
        folds=topic_folds,
        n_rows=len(data),
    )
    say(f"fitting topic model on {len(data)} reports")
    topic.fit(data.texts, data.topics)
    actionable = build_pipeline(
        actionable_settings,
        random_state=random_state,
        folds=actionable_folds,
        n_rows=len(data),
    )
    labelled = data.subset(i for i, a in enumerate(data.actionable) if a != UNLABELLED)
    say(f"fitting actionable model on {len(labelled)} reports")
    actionable.fit(labelled.texts, np.asarray(labelled.actionable, dtype=np.int64))
    say("done")
    return TriageModel(topic, actionable)
