"""The starter corpus gives the model no label shortcut: only the content tells the labels apart.

A classifier that sees nothing but surface form (length, link, digits, punctuation, the
reporter's framing words) must not predict the actionable label: if it could, a model trained
on the corpus would learn the form instead of the claim, as the first corpus taught it
"long means false".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from classifier import TOPICS, LabelledData
from classifier.text import URL_RE

FRAMING = (
    "网传", "有人说", "群里", "朋友圈", "真的假的", "是真的吗", "求证", "来电人", "网友",
    "someone says", "someone posted", "is this true", "going around", "forwarded", "caller",
    "people are saying",
)
PUNCTUATION = re.compile(r"[^\w\s]")
DIGIT = re.compile(r"\d")
CJK = re.compile(r"[\u4e00-\u9fff]")


def surface(text: str) -> list[float]:
    """Return the surface-form features of one report: everything but its content."""
    folded = unicodedata.normalize("NFKC", text).lower()
    n = max(len(folded), 1)
    return [
        len(folded),
        math.log1p(len(folded)),
        1.0 if URL_RE.search(folded) else 0.0,
        len(DIGIT.findall(folded)) / n,
        len(PUNCTUATION.findall(folded)) / n,
        float(folded.count("!")),
        1.0 if any(f in folded for f in FRAMING) else 0.0,
    ]


def surface_auc(texts: list[str], labels: list[int]) -> float:
    """Return the 5-fold cross-validated ROC-AUC of a surface-only classifier."""
    x = np.asarray([surface(t) for t in texts])
    y = np.asarray(labels)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(y, p))


def language(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


def test_the_corpus_is_big_and_bilingual(starter_data: LabelledData) -> None:
    assert len(starter_data) >= 3000
    per_topic = Counter(starter_data.topics)
    assert set(per_topic) == set(TOPICS)
    assert min(per_topic.values()) >= 300, per_topic
    zh = sum(language(t) == "zh" for t in starter_data.texts) / len(starter_data)
    assert 0.4 <= zh <= 0.6
    actionable = sum(starter_data.actionable) / len(starter_data)
    assert 0.35 <= actionable <= 0.65


def test_surface_form_does_not_predict_the_label(starter_data: LabelledData) -> None:
    assert surface_auc(starter_data.texts, starter_data.actionable) <= 0.60


@pytest.mark.parametrize("topic", TOPICS)
def test_surface_form_does_not_predict_the_label_within_a_topic(
    starter_data: LabelledData, topic: str
) -> None:
    keep = [i for i, k in enumerate(starter_data.topics) if k == topic]
    part = starter_data.subset(keep)
    assert surface_auc(part.texts, part.actionable) <= 0.65


def test_the_surface_check_can_fail() -> None:
    """The check itself finds a corpus where length gives the label away."""
    texts = [f"电池起火 {'细节' * (20 + i % 7)}" for i in range(60)]
    texts += [f"电池起火 {'细节' * (2 + i % 7)}" for i in range(60)]
    assert surface_auc(texts, [1] * 60 + [0] * 60) > 0.9
