"""Reasons a moderator can read: spans of the report's own text, whole words, right direction.

A model is trained here on purpose-made texts whose labels hang on known words, so the
tests say which words must light up without depending on the starter model's numbers.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from classifier import LabelledData, TriageModel, train_model
from classifier.explain import spans_of

FILLER_EN = ["people in the group chat say", "my neighbour told me", "posted this morning",
             "a friend forwarded it", "seen on a video site", "in the city centre"]
FILLER_ZH = ["群里都在说", "邻居告诉我", "今天早上看到", "朋友转给我的",
             "在视频网站上看到", "市中心"]
TOPIC_WORDS = {
    "autonomous-driving": ("robotaxi", "无人驾驶"),
    "battery-safety": ("battery", "电池"),
    "industry-market": ("bankruptcy", "破产"),
}
ACT_WORDS = {1: ("rumour", "网传"), 0: ("confirmed", "官方证实")}


@pytest.fixture(scope="module")
def model() -> TriageModel:
    """Return a model whose topic hangs on TOPIC_WORDS and P(actionable) on ACT_WORDS."""
    data = LabelledData()
    for (topic, (en, zh)), (label, (a_en, a_zh)), (f_en, f_zh) in itertools.product(
            TOPIC_WORDS.items(), ACT_WORDS.items(), zip(FILLER_EN, FILLER_ZH, strict=True)):
        data.texts += [f"{a_en}: {f_en} about the {en} story", f"{a_zh}，{f_zh}{zh}的事情"]
        data.topics += [topic, topic]
        data.actionable += [label, label]
    return train_model(data)


def _texts(prediction, kind: str) -> list[str]:
    return [row["text"] for row in prediction.reasons[kind]]


def test_topic_spans_are_the_words_that_decide_the_topic(model: TriageModel) -> None:
    en = model.predict_one("A friend forwarded it: the robotaxi story again")
    zh = model.predict_one("朋友转给我的，无人驾驶的事情")
    assert en.topic == zh.topic == "autonomous-driving"
    assert "robotaxi" in _texts(en, "topic")
    assert any("无人驾驶" in span for span in _texts(zh, "topic"))
    assert all(row["weight"] > 0 for row in en.reasons["topic"] + zh.reasons["topic"])


@pytest.mark.parametrize(("text", "word", "sign"), [
    ("rumour: my neighbour told me about the battery story", "rumour", 1),
    ("confirmed: my neighbour told me about the battery story", "confirmed", -1),
    ("网传，邻居告诉我电池的事情", "网传", 1),
    ("官方证实，邻居告诉我电池的事情", "官方证实", -1),
])
def test_actionable_spans_say_which_way_they_push(model: TriageModel, text: str, word: str,
                                                  sign: int) -> None:
    rows = model.predict_one(text).reasons["actionable"]
    strongest = rows[0]  # strongest first
    assert word in strongest["text"]
    assert strongest["weight"] * sign > 0


WORD = re.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


@pytest.mark.parametrize("text", [
    "Rumour: my NEIGHBOUR told me about the Robotaxi story!!! https://weibo.com/robotaxi/1?x=2",
    "網傳，鄰居告訴我無人駕駛的事情，电池也烧了",  # traditional characters
    # full width
    "ｒｕｍｏｕｒ：ｍｙ ｎｅｉｇｈｂｏｕｒ ｔｏｌｄ ｍｅ "
    "ａｂｏｕｔ ｔｈｅ ｂａｔｔｅｒｙ",
    "<b>rumour</b> & \"battery\" <script>alert(1)</script> 网传电池",
    "rumour " * 300 + "网传电池" * 200,
    "", "   ", "！！！", "㈱ ﬁre ＢＡＴＴＥＲＹ e\u0301 battery",
])
def test_spans_are_whole_words_of_the_original_text(model: TriageModel, text: str) -> None:
    prediction = model.predict_one(text)
    for kind in ("topic", "actionable"):
        rows = prediction.reasons[kind]
        assert len(rows) <= 8
        for row in rows:
            start, end = row["start"], row["end"]
            assert 0 <= start < end <= len(text)
            assert row["text"] == text[start:end]
            # Never cuts a Latin word: the characters either side are not part of it.
            assert start == 0 or not (WORD.match(text[start - 1]) and WORD.match(text[start]))
            assert end == len(text) or not (WORD.match(text[end - 1]) and WORD.match(text[end]))
            # Spans join across spaces only, never across punctuation or markup.
            assert not re.search(r"[<>&\"，。！!:：]", row["text"]), row
            assert not row["text"].startswith("signal")


def test_a_link_counts_by_its_domain_not_its_path(model: TriageModel) -> None:
    text = "posted this morning https://weibo.com/robotaxi/battery/1"
    spans = model.predict_one(text).reasons["topic"] + model.predict_one(text).reasons[
        "actionable"]
    path_start = text.index("/robotaxi")
    assert all(row["end"] <= path_start for row in spans)


def test_fast_path_and_batch_path_give_the_same_reasons(model: TriageModel) -> None:
    texts = ["rumour: the robotaxi story https://x.com/a", "网传，邻居告诉我电池的事情",
             "confirmed bankruptcy 官方证实破产"]
    for one, batch in zip(map(model.predict_one, texts), model.predict(texts), strict=True):
        assert _texts(one, "topic") == _texts(batch, "topic")
        assert _texts(one, "actionable") == _texts(batch, "actionable")


def test_spans_group_neighbours_pushing_the_same_way() -> None:
    text = "thermal runaway, then 电池起火了"
    scores = np.zeros(len(text))
    for word, value in (("thermal", 0.5), ("runaway", 0.4), ("then", 0.01)):
        at = text.index(word)
        scores[at:at + len(word)] = value / len(word)
    at = text.index("电池起火")
    scores[at:at + 4] = [0.3, 0.3, -0.2, 0.3]
    spans = [(text[s.start:s.end], round(s.weight, 2)) for s in spans_of(text, scores,
                                                                          signed=True)]
    # Joined across the space, split at the comma and where the sign turns; a lone
    # character shows only when it is among the strongest ("起", "火" are not).
    assert spans == [("thermal runaway", 0.9), ("电池", 0.6)]
    scores[at + 3] = 0.8
    spans = [text[s.start:s.end] for s in spans_of(text, scores, signed=True)]
    assert spans == ["thermal runaway", "电池", "火"]
