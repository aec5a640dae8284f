"""Helpers shared by the behavioural tests of the starter model."""

from __future__ import annotations

import re
from collections.abc import Callable

from classifier import LabelledData

PAIRS = 120  # reports per perturbation
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_zh(text: str) -> bool:
    """Return whether a report is written in Chinese."""
    return _CJK.search(text) is not None


def sample(data: LabelledData, applies: Callable[[str], bool]) -> list[str]:
    """Return PAIRS corpus texts a change applies to, spread over the whole corpus."""
    texts = [t for t in data.texts if applies(t)]
    step = max(len(texts) // PAIRS, 1)
    return texts[::step][:PAIRS]
