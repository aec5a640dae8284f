"""Behaviour of the model trained on the starter corpus, on reports it has not seen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from classifier import TriageModel
from classifier.text import normalise

BATTERY_ZH = (
    "紧急扩散！某品牌电动车在小区充电时电池突然起火爆炸，烧毁十几辆车，厂家封锁消息，快转发！"
)
BATTERY_EN = (
    "URGENT share now!!! An electric car battery exploded while charging in a garage and "
    "the fire spread to the whole building, the carmaker is hiding it"
)
NOTICE_ZH = (
    "工信部〔2026〕18号通知：自下月起全国禁止新能源汽车在高速公路行驶，"
    "违者罚款五千元，请互相转告"
)
NOTICE_EN = (
    "Ministry of Industry Notice No. 18 (2026): from next month all new energy vehicles are "
    "banned from expressways and drivers will be fined 5,000 yuan. Pass it on"
)
GIBBERISH = ["asdf qwer zxcv 12345 ;;;", "啊啊啊哦哦哦嗯嗯嗯", "lkjh poiu mnbv"]
ADVERTS = [
    "限时特价！全新电动车钜惠五万元，加微信领取优惠券，名额有限",
    "Best deals on car floor mats, 50% off this weekend only, free shipping",
]
CLEAR_CASES = [
    (BATTERY_ZH, "battery-safety"),
    (BATTERY_EN, "battery-safety"),
    (NOTICE_ZH, "policy-standards"),
    (NOTICE_EN, "policy-standards"),
]


@pytest.mark.parametrize(("text", "topic"), CLEAR_CASES)
def test_clear_rumours_route_to_their_desk(
    starter_model: TriageModel, text: str, topic: str
) -> None:
    prediction = starter_model.predict_one(text)
    assert prediction.topic == topic
    assert prediction.p_actionable > 0.5


@pytest.mark.parametrize("text", GIBBERISH + ADVERTS)
def test_junk_scores_low_on_actionable(starter_model: TriageModel, text: str) -> None:
    p_junk = starter_model.predict_one(text).p_actionable
    assert p_junk < 0.5
    assert p_junk < starter_model.predict_one(BATTERY_ZH).p_actionable
    assert p_junk < starter_model.predict_one(BATTERY_EN).p_actionable


def _reordered(text: str) -> str:
    # Swap the two halves: same words, different order.
    half = len(text) // 2
    return text[half:] + " " + text[:half]


@pytest.mark.parametrize(("text", "topic"), CLEAR_CASES)
@pytest.mark.parametrize(
    "perturb",
    [_reordered, lambda t: t + " https://weibo.com/u/123456/abc", lambda t: "http://t.cn/x " + t],
    ids=["reordered", "url-after", "url-before"],
)
def test_small_changes_do_not_flip_clear_cases(
    starter_model: TriageModel, text: str, topic: str, perturb: Callable[[str], str]
) -> None:
    assert starter_model.predict_one(perturb(text)).topic == topic


@pytest.mark.parametrize(("text", "topic"), CLEAR_CASES)
def test_explanations_name_terms_in_the_report(
    starter_model: TriageModel, text: str, topic: str
) -> None:
    prediction = starter_model.predict_one(text)
    seen = normalise(text)
    assert len(prediction.topic_terms) >= 3
    assert prediction.topic_terms[0][1] > 0
    weights = [w for _, w in prediction.topic_terms]
    assert weights == sorted(weights, reverse=True)
    for term, _ in prediction.topic_terms + prediction.actionable_terms:
        if not term.startswith("signal:"):
            assert all(token in seen for token in term.split()), term
