"""Rows labelled with a topic only (a case moved to another desk, not decided yet)."""

from __future__ import annotations

import random

import pytest

from classifier import UNLABELLED, LabelledData
from classifier.features import LARGE_ACTIONABLE_SETTINGS, LARGE_TOPIC_SETTINGS
from classifier.model import train_model


@pytest.fixture(scope="module")
def mixed(starter_data: LabelledData) -> LabelledData:
    """A sample of the corpus in which every third row has lost its actionable label."""
    rows = random.Random(1).sample(range(len(starter_data)), 600)
    data = starter_data.subset(rows)
    actionable = [UNLABELLED if i % 3 == 0 else a for i, a in enumerate(data.actionable)]
    return LabelledData(data.texts, data.topics, actionable)


@pytest.mark.parametrize("settings", [{}, {"topic_settings": LARGE_TOPIC_SETTINGS,
                                           "actionable_settings": LARGE_ACTIONABLE_SETTINGS}],
                         ids=["default", "shared-sgd"])
def test_topic_only_rows_train_the_topic_model_alone(mixed: LabelledData, settings) -> None:
    model = train_model(mixed, **settings)
    # The actionable model never saw "unknown" as a class; the topic model saw every row.
    assert list(model.actionable_pipeline.classes_) == [0, 1]
    assert set(model.topic_pipeline.classes_) == set(mixed.topics)
    p = model.predict_one(mixed.texts[0]).p_actionable
    assert 0.0 <= p <= 1.0


def test_topic_only_rows_alone_cannot_train_the_actionable_model(mixed: LabelledData) -> None:
    only_topics = LabelledData(mixed.texts, mixed.topics, [UNLABELLED] * len(mixed))
    with pytest.raises(ValueError, match="actionable and non-actionable"):
        train_model(only_topics)
