"""Behaviour of the starter model, CheckList style: invariance, direction, minimum function.

Invariance runs over a fixed sample of the corpus's own reports (every form of report the
desk sees, both languages); the directional and minimum-function cases are written here and
are not in the corpus.
"""

from __future__ import annotations

from collections.abc import Callable

import opencc
import pytest
from checklist import is_zh, sample

from classifier import LabelledData, TriageModel
from classifier.text import URL_RE

Perturb = Callable[[str], str]
NEUTRAL_ZH = ("据了解，相关情况仍在进一步核实中。", "以上内容来自网友转发。", "大家怎么看？")
NEUTRAL_EN = ("More details are expected later.", "Posted on Tuesday.", "What do you think?")
_TO_TRADITIONAL = opencc.OpenCC("s2t")
def _neutral(text: str, i: int) -> str:
    return (NEUTRAL_ZH if is_zh(text) else NEUTRAL_EN)[i % 3]


def append_neutral(text: str, i: int) -> str:
    return f"{text} {_neutral(text, i)}"


def prepend_neutral(text: str, i: int) -> str:
    return f"{_neutral(text, i)} {text}"


def add_link(text: str, i: int) -> str:
    links = ("https://weibo.com/6033231233/PbXk8", "http://t.cn/A6xYz9Q", "https://x.com/i/1")
    return f"{text} {links[i % 3]}"


def remove_links(text: str, i: int) -> str:
    return URL_RE.sub("", text).strip()


def traditional(text: str, i: int) -> str:
    return _TO_TRADITIONAL.convert(text)


def full_width(text: str, i: int) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def lower_case(text: str, i: int) -> str:
    return text.lower()


def typo(text: str, i: int) -> str:
    """Swap two neighbouring letters (or CJK characters) in the middle of the text."""
    positions = [j for j in range(1, len(text) - 1) if text[j].isalpha() and text[j + 1].isalpha()]
    if not positions:
        return text
    j = positions[len(positions) // 2]
    return text[:j] + text[j + 1] + text[j] + text[j + 2:]


PERTURBATIONS: dict[str, tuple[Perturb, Callable[[str], bool]]] = {
    "append a neutral sentence": (append_neutral, lambda t: True),
    "prepend a neutral sentence": (prepend_neutral, lambda t: True),
    "add a link": (add_link, lambda t: URL_RE.search(t) is None),
    "remove the links": (remove_links, lambda t: URL_RE.search(t) is not None),
    "traditional characters": (traditional, is_zh),
    "full-width characters": (full_width, lambda t: not is_zh(t)),
    "lower case": (lower_case, lambda t: t != t.lower()),
    "a typo": (typo, lambda t: True),
}


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_invariance(starter_model: TriageModel, starter_data: LabelledData, name: str) -> None:
    perturb, applies = PERTURBATIONS[name]
    texts = sample(starter_data, applies)
    assert len(texts) >= 100
    changed = [perturb(t, i) for i, t in enumerate(texts)]
    assert sum(a != b for a, b in zip(texts, changed, strict=True)) >= 0.9 * len(texts)
    before = starter_model.predict(texts)
    after = starter_model.predict(changed)
    held = [
        b.topic == a.topic and abs(b.p_actionable - a.p_actionable) <= 0.15
        for b, a in zip(before, after, strict=True)
    ]
    worst = sorted(zip(before, after, texts, strict=True),
                   key=lambda x: -abs(x[0].p_actionable - x[1].p_actionable))[:3]
    assert sum(held) >= 0.95 * len(held), [
        (t[:60], round(b.p_actionable, 2), round(a.p_actionable, 2), b.topic, a.topic)
        for b, a, t in worst
    ]
