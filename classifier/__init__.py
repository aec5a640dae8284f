"""Report triage model: topic routing and actionable probability, pure scikit-learn.

The Flask side (intake/triage/scoring.py) uses only the names exported here.
"""

import importlib

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

# The rest loads scikit-learn (seconds): imported on first use, so `flask users list` and
# the web workers' other commands start without it (PEP 562 module __getattr__).
_LAZY = {
    "cross_validate": "classifier.evaluation", "evaluate": "classifier.evaluation",
    "ModelSettings": "classifier.features", "build_pipeline": "classifier.features",
    "Prediction": "classifier.model", "TriageModel": "classifier.model",
    "train_model": "classifier.model",
    "ModelLoadError": "classifier.card", "artifact_sha256": "classifier.persistence",
    "dump_model": "classifier.persistence", "load_model": "classifier.persistence",
    "make_card": "classifier.card", "read_card": "classifier.persistence",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


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
