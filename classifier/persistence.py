"""Save and load TriageModels as compressed skops artifacts with a checked card."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile

import numpy as np
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.card import RETRAIN, ModelLoadError, check_card, library_versions
from classifier.model import TriageModel

# Caps checked on the zip directory before anything is decompressed (zipfile never inflates
# a member past its declared size). Vocabularies are written as term arrays, outside the
# schema, so a new model's schema is well under 1 MB; 128 MB still admits older artifacts.
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_SCHEMA_BYTES = 128 * 1024 * 1024

# Every type a Report Desk artifact may contain, as "module.qualname". Anything else in
# a file is refused before a single object is built (skops' own defaults trust far more).
ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.bool",
        "builtins.dict",
        "builtins.float",
        "builtins.int",
        "builtins.list",
        "builtins.str",
        "builtins.tuple",
        "builtins.NoneType",
        "classifier.text.CheapSignals",
        "classifier.text.normalise",
        "numpy.dtype",
        "numpy.float32",
        "numpy.float64",
        "numpy.int64",
        "numpy.ndarray",
        "numpy.str_",
        "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.calibration._TemperatureScaling",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.frozen._frozen.FrozenEstimator",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.linear_model._sgd_fast.Hinge",
        "sklearn.linear_model._stochastic_gradient.SGDClassifier",
        "sklearn.model_selection._split.StratifiedKFold",
        "sklearn.model_selection._split.StratifiedShuffleSplit",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.pipeline.Pipeline",
        "sklearn.svm._classes.LinearSVC",
    }
)


def artifact_sha256(blob: bytes) -> str:
    """Return the hex SHA-256 of an artifact's bytes."""
    return hashlib.sha256(blob).hexdigest()


def _term_array(part: object) -> object:
    """Return a copy of a fitted TF-IDF block whose vocabulary is its terms in column order.

    skops writes a dict key by key into its JSON schema: the starter model's two
    vocabularies (140,000 terms) made a 122 MB schema that took seconds to parse on every
    load. A term array is one .npy member.
    """
    if not isinstance(part, TfidfVectorizer) or not isinstance(
            getattr(part, "vocabulary_", None), dict):
        return part
    terms = sorted(part.vocabulary_, key=part.vocabulary_.__getitem__)
    # numpy's fixed-width strings drop trailing NULs; such a (never seen) term stays a dict.
    if any(term.endswith("\0") for term in terms):
        return part
    compact = copy.copy(part)
    compact.vocabulary_ = np.array(terms, dtype=str)
    return compact


def _with_term_arrays(pipeline: Pipeline) -> Pipeline:
    """Return a shallow copy to write; the model being served is never modified."""
    steps = []
    for name, step in pipeline.steps:
        if isinstance(step, FeatureUnion):
            step = copy.copy(step)
            step.transformer_list = [(part_name, _term_array(part))
                                     for part_name, part in step.transformer_list]
        steps.append((name, step))
    copied = copy.copy(pipeline)
    copied.steps = steps
    return copied


def _with_vocabulary_dicts(pipeline: Pipeline) -> Pipeline:
    """Turn the term arrays written by _with_term_arrays back into sklearn's dicts."""
    for _, step in pipeline.steps:
        for _, part in getattr(step, "transformer_list", []):
            if isinstance(getattr(part, "vocabulary_", None), np.ndarray):
                part.vocabulary_ = {term: i for i, term in enumerate(part.vocabulary_.tolist())}
    return pipeline


def _payload(model: TriageModel, card: dict) -> dict:
    # The versions written are always those of the library doing the dumping.
    card = {**card, "versions": library_versions()}
    card_json = json.dumps(card, ensure_ascii=False, sort_keys=True)
    return {
        "card_json": card_json,
        "topic": _with_term_arrays(model.topic_pipeline),
        "actionable": _with_term_arrays(model.actionable_pipeline),
    }


def dump_model(model: TriageModel, card: dict) -> bytes:
    """Serialise a model and its card to zip-compressed skops bytes."""
    return sio.dumps(_payload(model, card), compression=zipfile.ZIP_DEFLATED)


def _schema(blob: bytes, *, verify: bool = True) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            _check_sizes(archive)
            # Check every member's CRC up front, so damage anywhere is reported as such
            # rather than as an obscure decoding error halfway through loading.
            damaged = archive.testzip() if verify else None
            if damaged is not None:
                raise ValueError(f"member {damaged} fails its CRC check")
            schema = json.loads(archive.read("schema.json"))
        node = schema["content"]["card_json"]
        if node["__class__"] != "str" or node["__loader__"] != "JsonNode":
            raise ValueError("card is not a string")
        json.loads(json.loads(node["content"]))
    except Exception as exc:  # any failure at all means "not one of our artifacts"
        raise ModelLoadError(
            f"not a Report Desk model artifact ({type(exc).__name__}: {exc}); the file is "
            f"truncated or not a skops model — re-export it or {RETRAIN}"
        ) from exc
    return schema


def _check_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb: too many members, too much data, or an oversized schema."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValueError(f"{len(members)} members, at most {MAX_MEMBERS} allowed")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise ValueError(f"{total} bytes uncompressed, at most {MAX_UNCOMPRESSED} allowed")
    schema = archive.getinfo("schema.json").file_size
    if schema > MAX_SCHEMA_BYTES:
        raise ValueError(f"a schema of {schema} bytes, at most {MAX_SCHEMA_BYTES} allowed")


def _card_from_schema(schema: dict) -> dict:
    return json.loads(json.loads(schema["content"]["card_json"]["content"]))


def read_card(blob: bytes) -> dict:
    """Return an artifact's card without building any of its objects."""
    return _card_from_schema(_schema(blob, verify=False))


def _types_in(node: object, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if "__class__" in node and "__module__" in node:
            found.add(f"{node['__module__']}.{node['__class__']}")
        for value in node.values():
            _types_in(value, found)
    elif isinstance(node, list):
        for value in node:
            _types_in(value, found)
    return found


def load_model(blob: bytes, expected_sha256: str | None = None) -> tuple[TriageModel, dict]:
    """Verify and load an artifact; return the model and its card or raise ModelLoadError."""
    if expected_sha256 is not None:
        actual = artifact_sha256(blob)
        if actual != expected_sha256.lower():
            raise ModelLoadError(
                f"artifact is corrupted or tampered: expected sha256 {expected_sha256} "
                f"got {actual} — re-export it or {RETRAIN}"
            )
    schema = _schema(blob)
    card = _card_from_schema(schema)
    check_card(card)
    # Check the whole tree against our list first: skops trusts many sklearn types by
    # default, and an artifact must not smuggle in any we did not put there.
    refused = sorted(_types_in(schema, set()) - ALLOWED_TYPES)
    untrusted = sio.get_untrusted_types(data=blob)
    refused += sorted(set(untrusted) - ALLOWED_TYPES - set(refused))
    if refused:
        raise ModelLoadError(
            f"artifact contains types outside the allow-list: {', '.join(refused)}; "
            f"it was not made by this project's trainer — {RETRAIN}"
        )
    try:
        payload = sio.loads(blob, trusted=untrusted)
    except Exception as exc:  # whatever skops raises, the operator's remedy is the same
        raise ModelLoadError(f"artifact could not be decoded ({exc}); {RETRAIN}") from exc
    topic, actionable = payload.get("topic"), payload.get("actionable")
    if not isinstance(topic, Pipeline) or not isinstance(actionable, Pipeline):
        raise ModelLoadError(f"artifact lacks the topic/actionable pipelines; {RETRAIN}")
    return TriageModel(_with_vocabulary_dicts(topic), _with_vocabulary_dicts(actionable)), card
