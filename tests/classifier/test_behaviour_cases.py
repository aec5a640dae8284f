"""Direction and minimum function of the starter model, on reports written for these tests."""

from __future__ import annotations

import pytest
from checklist import BATTERIES, CLEAR, CRASHES, is_zh, routing_cases, sample

from classifier import LabelledData, TriageModel


@pytest.mark.parametrize(("text", "topic"), routing_cases(CLEAR + BATTERIES))
def test_clear_reports_route_to_their_desk(
    starter_model: TriageModel, text: str, topic: str
) -> None:
    assert starter_model.predict_one(text).topic == topic


@pytest.mark.parametrize("text", CRASHES, ids=lambda v: v[:24])
def test_an_ordinary_crash_is_off_topic(starter_model: TriageModel, text: str) -> None:
    assert starter_model.predict_one(text).topic == "off-topic"


def _forward_plea(text: str) -> str:
    plea = "转发扩散，让更多人知道！" if is_zh(text) else "Share this with everyone!"
    return f"{text} {plea}"


def _urgent_header(text: str) -> str:
    return f"紧急通知！{text}" if is_zh(text) else f"URGENT NOTICE! {text}"


def _confirmation(text: str) -> str:
    if is_zh(text):
        return f"{text} 官方已发布通报，证实此事属实。"
    return f"{text} Officials have since confirmed this in a statement."


@pytest.mark.parametrize(
    ("change", "sense"),
    [(_forward_plea, "not lower"), (_urgent_header, "not lower"), (_confirmation, "not higher")],
    ids=["forwarding plea", "urgent notice header", "official confirmation"],
)
def test_direction(
    starter_model: TriageModel, starter_data: LabelledData, change, sense: str
) -> None:
    texts = sample(starter_data, lambda t: True)
    before = [p.p_actionable for p in starter_model.predict(texts)]
    after = [p.p_actionable for p in starter_model.predict([change(t) for t in texts])]
    # A longer text dilutes every other n-gram's TF-IDF weight a little: allow 0.05.
    if sense == "not lower":
        held = [a >= b - 0.05 for b, a in zip(before, after, strict=True)]
    else:
        held = [a <= b + 0.05 for b, a in zip(before, after, strict=True)]
    assert sum(held) >= 0.95 * len(held)
