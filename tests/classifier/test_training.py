"""Training options and fallbacks; every variant the trainer can build replays exactly."""

from __future__ import annotations

from collections import Counter

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from classifier import LabelledData, ModelSettings, dump_model, load_model, make_card, train_model
from classifier.char_index import char_wb_ngrams

PROBES = ["电池起火，转发！", "Robotaxi crash hidden, share", "", "🚗 https://t.cn/x 工信部通知"]


@pytest.mark.parametrize(
    "settings",
    [
        ModelSettings(),
        ModelSettings(calibration="sigmoid"),
        ModelSettings(estimator="logistic", C=10.0),
        ModelSettings(estimator="logistic", calibration="sigmoid"),
        ModelSettings(calibration=None),
        ModelSettings(word_ngrams=None, signals=False, word_weight=0.5),
        ModelSettings(char_ngrams=(2, 4), char_analyzer="char", min_df=1),
        ModelSettings(char_ngrams=None, class_weight="balanced"),
        ModelSettings(word_weight=0.4),
    ],
    ids=lambda s: f"{s.estimator}-{s.calibration}-{s.word_ngrams}-{s.char_ngrams}-{s.word_weight}",
)
def test_every_variant_replays_and_persists(
    tiny_data: LabelledData, settings: ModelSettings
) -> None:
    model = train_model(tiny_data, topic_settings=settings, actionable_settings=settings)
    assert model.fast_topic is not None
    slow = model.predict(PROBES)
    for text, batch in zip(PROBES, slow, strict=True):
        fast = model.predict_one(text)
        assert fast.topic == batch.topic
        for topic, p in batch.topic_probabilities.items():
            assert abs(fast.topic_probabilities[topic] - p) <= 1e-9
        assert abs(fast.p_actionable - batch.p_actionable) <= 1e-9
    loaded, _ = load_model(dump_model(model, make_card(tiny_data, None)))
    assert loaded.predict(PROBES) == slow


def test_rare_topic_falls_back_to_plain_logistic_regression(tiny_data: LabelledData) -> None:
    # One report of a topic leaves nothing to hold out for calibration.
    rows = [i for i, t in enumerate(tiny_data.topics) if t != "road-cloud"]
    rare = tiny_data.subset(rows) + LabelledData(["V2X 路侧单元试点"], ["road-cloud"], [0])
    model = train_model(rare)
    assert isinstance(model.topic_pipeline.steps[-1][1], LogisticRegression)
    fast, slow = model.predict_one(PROBES[0]), model.predict([PROBES[0]])[0]
    for topic, p in slow.topic_probabilities.items():
        assert abs(fast.topic_probabilities[topic] - p) <= 1e-9


@pytest.mark.parametrize(
    ("topics", "actionable", "message"),
    [
        (["off-topic"] * 4, [0, 1, 0, 1], "two topics"),
        (["off-topic", "road-cloud"] * 2, [1, 1, 1, 1], "both actionable"),
    ],
)
def test_refuses_degenerate_data(topics: list[str], actionable: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        train_model(LabelledData(["a b", "c d", "e f", "g h"], topics, actionable))


def test_progress_is_reported(tiny_data: LabelledData) -> None:
    messages: list[str] = []
    train_model(tiny_data, progress=messages.append)
    assert messages[0].startswith("fitting topic model on") and messages[-1] == "done"


@pytest.mark.parametrize(
    "text", ["", "a", "ab cd", "  many   spaces\t\ttabs\nnew ", "电池起火" * 50, "x\u3000y\u2028z"]
)
@pytest.mark.parametrize("ngrams", [(1, 3), (2, 4), (1, 1), (3, 5)])
def test_char_wb_ngrams_match_sklearn(text: str, ngrams: tuple[int, int]) -> None:
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams)._char_wb_ngrams(text)
    assert Counter(char_wb_ngrams(text, *ngrams)) == Counter(reference)
