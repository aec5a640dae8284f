"""Helpers shared by the behavioural tests of the starter model."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

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


# Reports written for the tests, not in the corpus: one clear report per topic and language.
CLEAR = [
    ("网传小鹏XNGP城区领航辅助在路口识别不了红灯，直接闯过去了，视频在抖音", "autonomous-driving"),
    ("Video claims a Waymo robotaxi drove itself onto a closed freeway ramp in Phoenix",
     "autonomous-driving"),
    ("群里说电动车冬天充电到一半电池会热失控自燃，停在车库里的都要烧", "battery-safety"),
    ("Someone says EV batteries catch fire if you fast-charge them above 80 percent",
     "battery-safety"),
    ("有人说车机摄像头一直在偷录车内画面，数据实时传到境外服务器", "vehicle-data"),
    ("Post claims hackers can unlock any connected car remotely through its app and "
     "copy the owner's location history", "vehicle-data"),
    ("网传交通运输部通知：明年起驾照每年都要重新考科目一", "policy-standards"),
    ("Forwarded message says the ministry will ban new petrol car sales nationwide "
     "from next January", "policy-standards"),
    ("网传某新势力车企下个月宣布破产，4S店已经关门，车主维权", "industry-market"),
    ("Someone posted that a major EV maker is recalling every car it sold last year "
     "and its shares halved", "industry-market"),
    ("网传车路云一体化试点城市的路侧单元RSU全部停用，项目已经烂尾", "road-cloud"),
    ("People are saying the city's smart-road V2X roadside units are being switched off "
     "because the pilot failed", "road-cloud"),
    ("网传某明星在机场被粉丝挤伤住院，经纪公司封锁消息", "off-topic"),
    ("Someone says drinking hot lemon water every morning cures high blood pressure",
     "off-topic"),
]
BATTERIES = [
    ("网传某品牌电动汽车停在地下车库充电时电池起火，整排车被烧", "battery-safety"),
    ("网传一名学生晚上给手机充电，手机电池爆炸把被子烧着了", "off-topic"),
    ("Someone says an electric car's battery pack caught fire while charging overnight "
     "in a garage", "battery-safety"),
    ("Someone says a power bank exploded in a passenger's bag on a flight to Chengdu",
     "off-topic"),
    ("网传充电宝放在包里自燃，地铁车厢冒烟", "off-topic"),
    ("Post claims laptop batteries swell and explode if left plugged in all week", "off-topic"),
]
CRASHES = [
    "网传昨晚高速上两辆货车追尾，一名司机受伤送医",
    "有人说市中心一名男子醉驾撞上护栏，已被交警带走",
    "Someone says two cars collided at a junction downtown and one driver was hurt",
    "Video going around shows a road rage fight between two drivers on the ring road",
]


# Routed wrongly by the starter model today (issue 14's closing note): kept as strict
# expected failures, so a model that gets them right makes the suite say so.
KNOWN_MISSES = {
    "Forwarded message says the ministry will ban new petrol car sales nationwide "
    "from next January",
    "Post claims laptop batteries swell and explode if left plugged in all week",
}


def routing_cases(cases: list[tuple[str, str]], misses: set[str] = KNOWN_MISSES) -> list:
    """Return the cases as pytest params, the known misses marked as strict xfails."""
    miss = pytest.mark.xfail(strict=True, reason="known routing miss of the starter model")
    return [pytest.param(t, k, marks=miss if t in misses else (), id=t[:24])
            for t, k in cases]
