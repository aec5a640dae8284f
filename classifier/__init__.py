"""Report triage model: topic routing and actionable probability, pure scikit-learn.

The Flask side (intake/triage/scoring.py) uses only the names exported here.
"""

from classifier.data import (
    TOPIC_LABELS,
    TOPICS,
    UNLABELLED,
    DataError,
    LabelledData,
    load_starter_corpus,
    read_labelled_csv,
    topic_label,
)
from classifier.evaluation import cross_validate, evaluate
from classifier.features import ModelSettings, build_pipeline
from classifier.model import Prediction, TriageModel, train_model
from classifier.persistence import (
    ModelLoadError,
    artifact_sha256,
    dump_model,
    load_model,
    make_card,
    read_card,
)

__all__ = [
    "TOPICS",
    "TOPIC_LABELS",
    "UNLABELLED",
    "DataError",
    "LabelledData",
    "ModelLoadError",
    "ModelSettings",
    "Prediction",
    "TriageModel",
    "artifact_sha256",
    "build_pipeline",
    "cross_validate",
    "dump_model",
    "evaluate",
    "load_model",
    "load_starter_corpus",
    "make_card",
    "read_card",
    "read_labelled_csv",
    "topic_label",
    "train_model",
]
