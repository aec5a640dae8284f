"""A small bilingual glossary: names and ideas that mean the same in Chinese and in English.

Character n-grams of a Chinese and an English report about the same rumour share almost
nothing, so clustering also compares these shared signals. "entity" signals (makers, places,
agencies) are specific enough to find candidates with; "concept" signals only add evidence.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One shared signal and how it is written in English and in Chinese."""

    key: str
    kind: str  # "entity" or "concept"
    en: tuple[str, ...]
    zh: tuple[str, ...]


def _e(key: str, en: str, zh: str, kind: str = "entity") -> Entry:
    return Entry(key, kind, tuple(en.split("|")) if en else (), tuple(zh.split("|")) if zh else ())


def _c(key: str, en: str, zh: str) -> Entry:
    return _e(key, en, zh, kind="concept")


ENTRIES: tuple[Entry, ...] = (
    # Makers and suppliers.
    _e("tesla", "tesla", "特斯拉"), _e("byd", "byd", "比亚迪"), _e("nio", "nio", "蔚来"),
    _e("xpeng", "xpeng|xiaopeng", "小鹏"), _e("li-auto", "li auto", "理想汽车|理想l"),
    _e("xiaomi", "xiaomi|su7", "小米"), _e("huawei", "huawei|aito", "华为|问界"),
    _e("catl", "catl", "宁德时代"), _e("geely", "geely|zeekr", "吉利|极氪"),
    _e("baidu", "baidu|apollo go", "百度|萝卜快跑"), _e("pony", "pony.ai", "小马智行"),
    _e("saic", "saic|wuling", "上汽|五菱"), _e("gac", "gac|aion", "广汽|埃安"),
    _e("changan", "changan|avatr", "长安|阿维塔"), _e("great-wall", "great wall", "长城汽车"),
    _e("leapmotor", "leapmotor", "零跑"), _e("neta", "neta|hozon", "哪吒汽车"),
    # Places.
    _e("beijing", "beijing", "北京"), _e("shanghai", "shanghai", "上海"),
    _e("shenzhen", "shenzhen", "深圳"), _e("guangzhou", "guangzhou", "广州"),
    _e("wuhan", "wuhan", "武汉"), _e("hangzhou", "hangzhou", "杭州"),
    _e("chongqing", "chongqing", "重庆"), _e("chengdu", "chengdu", "成都"),
    _e("hefei", "hefei", "合肥"), _e("nanjing", "nanjing", "南京"),
    _e("tianjin", "tianjin", "天津"), _e("xian", "xi'an|xian", "西安"),
    _e("suzhou", "suzhou", "苏州"), _e("changsha", "changsha", "长沙"),
    _e("lhasa", "lhasa", "拉萨"), _e("hong-kong", "hong kong", "香港"),
    # Agencies.
    _e("miit", "miit|ministry of industry", "工信部|工业和信息化部"),
    _e("samr", "samr|market regulation", "市场监管总局|市场监督管理"),
    _e("mps", "ministry of public security|traffic police", "公安部|交警"),
    _e("ndrc", "ndrc", "发改委"), _e("state-council", "state council", "国务院"),
    # Ideas: evidence that two reports agree, never enough on their own.
    _c("fire", "fire|fires|caught fire|catch fire|blaze|flames|burned|burnt|burning",
       "起火|着火|自燃|火灾|烧毁|烧了"),
    _c("explode", "explode|exploded|explosion|explodes", "爆炸|炸了"),
    _c("battery", "battery|batteries", "电池"), _c("charging", "charging|charger|charge", "充电"),
    _c("recall", "recall|recalls|recalled", "召回"), _c("ban", "ban|bans|banned", "禁止|禁售|禁行"),
    _c("death", "dead|died|death|deaths|killed|kill", "死亡|身亡|死了|撞死"),
    _c("injury", "injured|injuring|injury|injuries|hurt", "受伤|伤者"),
    _c("crash", "crash|crashed|collision|collided", "撞车|相撞|车祸|撞上"),
    _c("autopilot", "autopilot|self-driving|driverless|autonomous|fsd",
       "自动驾驶|无人驾驶|辅助驾驶"),
    _c("robotaxi", "robotaxi|robotaxis|driverless taxi", "无人驾驶出租车|自动驾驶出租车"),
    _c("hack", "hack|hacked|hackers|hacking", "黑客|入侵"),
    _c("leak", "leak|leaked|leaks", "泄露|泄漏"), _c("camera", "camera|cameras", "摄像头"),
    _c("data", "data|personal information", "数据|个人信息"),
    _c("subsidy", "subsidy|subsidies|trade-in", "补贴|以旧换新"),
    _c("bankrupt", "bankrupt|bankruptcy|collapse", "破产|倒闭"),
    _c("layoff", "layoff|layoffs|laid off|job cuts", "裁员"),
    _c("factory", "factory|plant", "工厂"), _c("price", "price|prices|price cut", "降价|价格"),
    _c("brake", "brake|brakes|braking", "刹车|制动"), _c("video", "video|clip", "视频"),
    _c("parked", "parked|parking", "停放|停车"), _c("notice", "notice|circular", "通知|公告"),
    _c("licence", "licence|license|driving test", "驾照|驾驶证"),
    _c("speed-limit", "speed limit", "限速"), _c("underground", "underground|basement", "地下"),
    _c("garage", "garage|car park", "车库"), _c("school", "school|pupils|students", "学校|学生"),
    _c("child", "child|children|kids", "儿童|孩子|小孩"), _c("taxi", "taxi|taxis", "出租车"),
    _c("highway", "highway|motorway|expressway", "高速"), _c("rain", "rain|flood", "暴雨|水淹"),
    _c("v2x", "v2x|vehicle-road-cloud|smart road", "车路云|车路协同|智慧道路"),
)

_PATTERNS: tuple[tuple[Entry, re.Pattern[str]], ...] = tuple(
    (entry, re.compile("|".join(
        [rf"\b{re.escape(word)}\b" for word in entry.en] + [re.escape(w) for w in entry.zh]
    ))) for entry in ENTRIES
)


def signals_in(text: str) -> dict[str, str]:
    """Return {signal key: kind} of every glossary entry found in lower-cased text."""
    return {entry.key: entry.kind for entry, pattern in _PATTERNS if pattern.search(text)}
