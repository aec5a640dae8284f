"""A stratified sample of the starter corpus, for tests that need A model, not THE model.

The full starter model is trained once per run, or taken from pytest's cache while the
classifier, its corpus and the libraries are unchanged (tests/conftest.py `model_blob`): the
real-sized check. Tests of the train / evaluate / promote workflow, and equality tests that
only need realistic text on every code path, use this sample instead, so each of their
trainings or replays costs a fraction of a full one. A pytest plugin (tests/conftest.py).
"""

from __future__ import annotations

from collections import Counter

import pytest

from classifier import LabelledData, load_starter_corpus

SAMPLE_EVERY = 5  # ~1,200 of the ~6,000 starter reports


def every_kth(data: LabelledData, k: int = SAMPLE_EVERY) -> LabelledData:
    """Return every k-th report of each (topic, actionable) group, in corpus order.

    Every group keeps its share and at least one report; the corpus files are read in order,
    so every file (posts, forwards, hotline summaries, non-claims) keeps its share too.
    """
    seen: Counter[tuple[str, int]] = Counter()
    picks = []
    for i, key in enumerate(zip(data.topics, data.actionable, strict=True)):
        if seen[key] % k == 0:
            picks.append(i)
        seen[key] += 1
    return data.subset(picks)


@pytest.fixture(scope="session")
def starter_sample() -> LabelledData:
    """Return every 5th starter report of each (topic, actionable) group."""
    return every_kth(load_starter_corpus())
