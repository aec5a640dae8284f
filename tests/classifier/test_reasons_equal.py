"""The numpy replay of the reasons (classifier.positions) gives the first implementation's.

tests/classifier/reasons_reference.py keeps the first, loop-based replay of where n-grams
sit; here both must give every character the same contribution (to 1e-9) and the same
spans, on a stratified fifth of the starter corpus, on stitched longer reports and on odd
inputs.
"""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LabelledData, TriageModel
from classifier.char_positions import char_flags, codes_of
from classifier.explain import Explanation
from classifier.text import normalise
from tests.classifier import reasons_reference as reference

ODD = [
    "", " ", "   \n\t ", "！！！", "🚗🔥🔋💥😱 battery 电池 🔋", "\U0002a6a5\U0002000b 无人驾驶",
    "lone \ud800 surrogate \udfff battery", "\ud83d",
    "ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ　电池　１２３",
    "ｒｕｍｏｕｒ：ｍｙ ｎｅｉｇｈｂｏｕｒ ｔｏｌｄ ｍｅ ａｂｏｕｔ ｔｈｅ ｂａｔｔｅｒｙ",
    "特斯拉Model 3在高速上FSD失控！！！ see https://weibo.com/123 转发",
    "https://t.cn/A6xYz", "www.example.com/path?x=1 ｈｔｔｐｓ：／／ｗｅｉｂｏ．ｃｏｍ／１",
    "網傳，鄰居告訴我無人駕駛的事情 https://x.com/a 电池也烧了",
    "㈱ ﬁre ＢＡＴＴＥＲＹ e\u0301 battery", "\u200b\u200d zero width \ufeff",
    "ñandú çà ß Ελληνικά русский العربية", "5g-v2x l2+ it's weibo.com 2.0 a.b-c",
    "电池起火" * 2000, "lorem ipsum dolor sit amet " * 400, "rumour " * 300 + "网传电池" * 200,
    "a", "电", "x  y\u3000z\u00a0w", "<b>rumour</b> & \"battery\" <script>alert(1)</script>",
]


def _stitched(data: LabelledData, n: int) -> list[str]:
    """Return n longer mixed zh/en reports made of corpus rows, as bench.scoring makes them."""
    rng = np.random.default_rng(0)
    texts = data.texts
    return [" ".join(texts[i] for i in rng.integers(0, len(texts), 6)) for _ in range(n)]


def _assert_same(model: TriageModel, text: str) -> None:
    explainer = model.explainer
    assert explainer is not None and model.fast_topic and model.fast_actionable
    normalised = normalise(text)
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    t_row = model.fast_topic.space.row(text, cache, normalised)
    a_row = model.fast_actionable.space.row(text, cache, normalised)
    best = int(np.argmax(model.fast_topic.predict_proba(t_row)))
    new = explainer.contributions(text, best, t_row, a_row)
    old = reference.contributions(explainer, text, best, t_row, a_row)
    for fresh, first in zip(new, old, strict=True):
        assert fresh.shape == first.shape == (len(text),)
        np.testing.assert_allclose(fresh, first, rtol=0, atol=1e-9)
    old_spans = Explanation(reference.spans_of(text, old[0], signed=False),
                            reference.spans_of(text, old[1], signed=True))
    got = explainer.explain(text, best, t_row, a_row)
    for fresh_spans, first_spans in ((got.topic, old_spans.topic),
                                     (got.actionable, old_spans.actionable)):
        assert [(s.start, s.end) for s in fresh_spans] == [(s.start, s.end) for s in first_spans]
        assert np.allclose([s.weight for s in fresh_spans], [s.weight for s in first_spans],
                           rtol=0, atol=1e-9)


def test_starter_corpus_reasons_equal_the_first_implementation(
        starter_model: TriageModel, starter_sample: LabelledData) -> None:
    # The full-size model, on a fifth of its corpus (every file, topic and label) and stitched
    # reports: the loop-based reference is slow, and more rows of the same genres add no path.
    for text in starter_sample.texts + _stitched(starter_sample, 60) + ODD:
        _assert_same(starter_model, text)


@pytest.mark.parametrize("text", ODD)
def test_odd_inputs_reasons_equal_the_first_implementation(tiny_model: TriageModel,
                                                           text: str) -> None:
    _assert_same(tiny_model, text)


@pytest.mark.parametrize("test", ["isspace", "isalnum"])
def test_character_classes_equal_python_for_every_code_point(test: str) -> None:
    # Every BMP code point (surrogates too) and some beyond it, in one string.
    text = "".join(map(chr, range(0x10000))) + "🚗\U0002a6a5\U000e0001\U0010ffff"
    codes = codes_of(text)
    assert np.array_equal(char_flags(text, codes, test), reference.char_flags(text, codes, test))


def test_the_reference_can_tell_a_difference(starter_model: TriageModel) -> None:
    """The comparison is not vacuous: the texts light characters up, and a change shows."""
    explainer = starter_model.explainer
    assert explainer is not None and starter_model.fast_topic and starter_model.fast_actionable
    text = "网传某品牌电动车电池起火，rumour says the battery exploded"
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    t_row = starter_model.fast_topic.space.row(text, cache)
    a_row = starter_model.fast_actionable.space.row(text, cache)
    new = explainer.contributions(text, 0, t_row, a_row)
    other = reference.contributions(explainer, text, 1, t_row, a_row)
    assert np.count_nonzero(new[0]) > len(text) // 2
    assert np.max(np.abs(new[0] - other[0])) > 1e-3
