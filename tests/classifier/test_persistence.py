"""Artifacts round-trip exactly and refuse to load when anything is off."""

from __future__ import annotations

import collections
import io
import json
import zipfile
from collections.abc import Callable

import pytest
import sklearn
import skops.io as sio
from sklearn.ensemble import RandomForestClassifier

from classifier import (
    LabelledData,
    ModelLoadError,
    TriageModel,
    artifact_sha256,
    dump_model,
    load_model,
    make_card,
    read_card,
)
from classifier.persistence import _payload


@pytest.fixture(scope="module")
def card(tiny_data: LabelledData) -> dict:
    return make_card(tiny_data, {"topic": {"accuracy": 1.0}}, note="test")


@pytest.fixture(scope="module")
def blob(tiny_model: TriageModel, card: dict) -> bytes:
    return dump_model(tiny_model, card)


def test_round_trip_identical_predictions(
    tiny_model: TriageModel, tiny_data: LabelledData, blob: bytes
) -> None:
    loaded, card = load_model(blob, expected_sha256=artifact_sha256(blob))
    texts = tiny_data.texts + ["", "unseen words only", "🚗"]
    assert loaded.predict(texts) == tiny_model.predict(texts)
    assert [loaded.predict_one(t) for t in texts] == [tiny_model.predict_one(t) for t in texts]
    assert card["note"] == "test"


def test_card_contents(blob: bytes, tiny_data: LabelledData) -> None:
    card = read_card(blob)
    assert card["versions"]["sklearn"] == sklearn.__version__
    assert {"python", "numpy", "scipy", "skops"} <= set(card["versions"])
    assert card["training_data"]["sha256"] == tiny_data.sha256()
    assert card["training_data"]["n"] == len(tiny_data)
    assert sum(card["training_data"]["topic_counts"].values()) == len(tiny_data)
    assert card["created_utc"].endswith("+00:00")
    assert card["metrics"] == {"topic": {"accuracy": 1.0}}


def test_compressed_is_smaller(tiny_model: TriageModel, card: dict, blob: bytes) -> None:
    assert len(blob) * 5 < len(sio.dumps(_payload(tiny_model, card)))


def test_checksum_mismatch(blob: bytes) -> None:
    with pytest.raises(ModelLoadError, match="corrupted or tampered: expected sha256 (ab)+ got"):
        load_model(blob, expected_sha256="ab" * 32)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b[:100] + bytes(x ^ 0xFF for x in b[100:400]) + b[400:],
        lambda b: b"",
        lambda b: b"PK\x03\x04 definitely not a model",
        lambda b: json.dumps({"card_json": "{}"}).encode(),
    ],
    ids=["truncated", "flipped-bytes", "empty", "fake-zip", "json"],
)
def test_damaged_bytes(blob: bytes, damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(ModelLoadError, match="flask model train"):
        load_model(damage(blob))


def _rewrite_card(blob: bytes, change: Callable[[dict], object]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "schema.json":
                schema = json.loads(data)
                node = schema["content"]["card_json"]
                card = json.loads(json.loads(node["content"]))
                change(card)
                node["content"] = json.dumps(json.dumps(card))
                data = json.dumps(schema).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_other_sklearn_version(blob: bytes) -> None:
    forged = _rewrite_card(blob, lambda c: c["versions"].update(sklearn="0.24.2"))
    assert read_card(forged)["versions"]["sklearn"] == "0.24.2"
    with pytest.raises(ModelLoadError) as caught:
        load_model(forged)
    message = str(caught.value)
    assert "scikit-learn 0.24.2" in message and sklearn.__version__ in message
    assert "flask model train" in message


@pytest.mark.parametrize(
    ("extra", "type_name"),
    [
        (collections.OrderedDict(a=1), "collections.OrderedDict"),
        (RandomForestClassifier(n_estimators=1), "RandomForestClassifier"),
        (collections.Counter("ab"), "collections.Counter"),
    ],
)
def test_disallowed_type(
    tiny_model: TriageModel, card: dict, extra: object, type_name: str
) -> None:
    payload = _payload(tiny_model, card) | {"extra": extra}
    forged = sio.dumps(payload, compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(ModelLoadError, match=f"outside the allow-list: .*{type_name}"):
        load_model(forged)


def test_card_must_be_ours(tiny_model: TriageModel, card: dict) -> None:
    forged = sio.dumps(_payload(tiny_model, card | {"format": "other"}))
    with pytest.raises(ModelLoadError, match="not a Report Desk triage model"):
        load_model(forged)


def test_vocabularies_are_term_arrays_outside_the_schema(
    tiny_model: TriageModel, tiny_data: LabelledData, blob: bytes
) -> None:
    # Written key by key into the JSON schema, the starter model's vocabularies made a
    # 122 MB schema that took seconds to load in every worker.
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        schema = archive.read("schema.json").decode()
    vocabulary = tiny_model.topic_pipeline.steps[0][1].transformer_list[0][1].vocabulary_
    assert len(vocabulary) > 100
    as_keys = [term for term in vocabulary if f"{json.dumps(term)}: {{" in schema]
    assert as_keys == []
    loaded, _ = load_model(blob)
    union = loaded.topic_pipeline.steps[0][1]
    assert union.transformer_list[0][1].vocabulary_ == vocabulary
    # The model being served is untouched by dumping it.
    assert isinstance(vocabulary, dict)


def test_artifact_with_vocabulary_dicts_still_loads(
    tiny_model: TriageModel, tiny_data: LabelledData, card: dict
) -> None:
    older = sio.dumps({"card_json": json.dumps(card), "topic": tiny_model.topic_pipeline,
                       "actionable": tiny_model.actionable_pipeline})
    loaded, _ = load_model(older)
    assert loaded.predict(tiny_data.texts) == tiny_model.predict(tiny_data.texts)
