"""The numpy fast path gives the sklearn Pipelines' numbers, to 1e-9."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from classifier import TOPICS, LabelledData, Prediction, TriageModel
from classifier.char_index import CharWbIndex
from classifier.text import normalise

ODD_INPUTS = [
    "",
    "   \n\t ",
    "🚗🔥🔋💥😱",
    "https://t.cn/A6xYz",
    "www.example.com/path?x=1",
    "特斯拉Model 3在高速上FSD失控！！！ see https://weibo.com/123 转发",
    "ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ　电池　１２３",
    "1234567890 2026 〔2026〕 No. 5",
    "电池起火" * 2000,
    "lorem ipsum dolor sit amet " * 400,
    "\u200b\u200d zero width \ufeff",
    "ñandú çà ß Ελληνικά русский العربية",
]


def assert_same(fast: Prediction, slow: Prediction) -> None:
    assert fast.topic == slow.topic
    assert fast.topic_probabilities.keys() == slow.topic_probabilities.keys() == set(TOPICS)
    for topic in TOPICS:
        assert fast.topic_probabilities[topic] == pytest.approx(
            slow.topic_probabilities[topic], abs=1e-9
        )
    assert fast.p_actionable == pytest.approx(slow.p_actionable, abs=1e-9)
    assert [t for t, _ in fast.topic_terms] == [t for t, _ in slow.topic_terms]
    assert [t for t, _ in fast.actionable_terms] == [t for t, _ in slow.actionable_terms]


def pipeline_probabilities(model: TriageModel, text: str) -> tuple[dict[str, float], float]:
    raw = model.topic_pipeline.predict_proba([text])[0]
    topics = dict(zip(model.topic_pipeline.classes_, raw, strict=True))
    p_act = model.actionable_pipeline.predict_proba([text])[0][model.positive_column]
    return topics, float(p_act)


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_inputs_match_pipeline(tiny_model: TriageModel, text: str) -> None:
    fast = tiny_model.predict_one(text)
    assert_same(fast, tiny_model.predict([text])[0])
    topics, p_act = pipeline_probabilities(tiny_model, text)
    for topic, p in topics.items():
        assert abs(fast.topic_probabilities[topic] - p) <= 1e-9
    assert abs(fast.p_actionable - p_act) <= 1e-9


def test_fast_path_is_in_use(tiny_model: TriageModel) -> None:
    # Both tasks learn the same vocabularies, so the TF-IDF blocks are computed once.
    assert tiny_model.fast_topic is not None and tiny_model.fast_actionable is not None
    topic_blocks = tiny_model.fast_topic.space.blocks
    assert all(b in topic_blocks for b in tiny_model.fast_actionable.space.blocks[:2])


def test_tiny_corpus_matches_pipeline(tiny_model: TriageModel, tiny_data: LabelledData) -> None:
    for fast, slow in zip(
        map(tiny_model.predict_one, tiny_data.texts), tiny_model.predict(tiny_data.texts),
        strict=True,
    ):
        assert_same(fast, slow)


def test_starter_corpus_matches_pipeline(
    starter_model: TriageModel, starter_sample: LabelledData
) -> None:
    # The full-size model on a stratified fifth of its corpus: every file, topic and label.
    texts = starter_sample.texts + ODD_INPUTS
    topic_proba, p_act = starter_model.predict_arrays(texts)
    fast = [starter_model.predict_one(t) for t in texts]
    fast_topic = np.asarray([[p.topic_probabilities[t] for t in TOPICS] for p in fast])
    assert np.max(np.abs(fast_topic - topic_proba)) <= 1e-9
    assert np.max(np.abs(np.asarray([p.p_actionable for p in fast]) - p_act)) <= 1e-9


def test_prediction_is_json_serialisable(tiny_model: TriageModel) -> None:
    out = tiny_model.predict_one("电池起火，转发！").to_dict()
    again = json.loads(json.dumps(out))
    assert again["topic"] in TOPICS
    assert abs(sum(again["topic_probabilities"].values()) - 1.0) < 1e-9
    assert 0.0 <= again["p_actionable"] <= 1.0
    assert all(isinstance(t, str) and isinstance(w, float) for t, w in again["topic_terms"])


def test_batch_predict_empty(tiny_model: TriageModel) -> None:
    assert tiny_model.predict([]) == []


CHAR_TEXTS = [*ODD_INPUTS, "a b  c\x1cd\u3000e\u2028f", "lone \ud800 surrogate",
              "𠀀𠀁 beyond BMP 𝔘", "x", " y ", "电池起火 battery fire 电池起火"]


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 3), (3, 3)])
def test_char_wb_index_counts_like_sklearn(ngram_range: tuple[int, int]) -> None:
    vec = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, preprocessor=normalise)
    matrix = vec.fit_transform(CHAR_TEXTS).tocsr()
    index = CharWbIndex(dict(vec.vocabulary_), ngram_range)
    for i, text in enumerate(CHAR_TEXTS):
        row = matrix[i]
        order = np.argsort(row.indices)
        columns, counts = index.counts(normalise(text))
        assert columns.tolist() == row.indices[order].tolist()
        assert counts.tolist() == row.data[order].tolist()


@pytest.mark.parametrize("ngram_range", [(1, 4), (4, 5), (0, 2)])
def test_char_wb_index_refuses_ranges_it_cannot_key(ngram_range: tuple[int, int]) -> None:
    assert not CharWbIndex.supports(ngram_range)


def test_odd_characters_match_pipeline(tiny_model: TriageModel) -> None:
    for text in CHAR_TEXTS:
        assert_same(tiny_model.predict_one(text), tiny_model.predict([text])[0])
