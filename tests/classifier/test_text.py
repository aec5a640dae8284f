"""Normalisation and the cheap signals."""

from __future__ import annotations

import pytest

from classifier.text import SIGNAL_NAMES, normalise, signal_values, url_domain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＴＥＳＬＡ　Ｍｏｄｅｌ　３", "tesla model 3"),
        ("看这个https://www.Weibo.com/u/123?from=x，转发", "看这个 weibo.com ,转发"),
        ("链接http://t.cn/abc转发", "链接 t.cn 转发"),
        ("ｈｔｔｐｓ：／／ｔ．ｃｎ／ａｂｃ", " t.cn "),
        (
            "see www.example.org/a/b and http://user@host.cn:8080/x",
            "see  example.org  and  host.cn ",
        ),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text", ["ＡＢＣ https://x.com/1 电池", "plain", "🚗🔥", "www.a.b/c?d"]
)
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


def test_url_domain() -> None:
    assert url_domain("https://www.gov.cn/zhengce/2026.htm") == "gov.cn"


@pytest.mark.parametrize(
    ("text", "signal", "on"),
    [
        ("look https://t.cn/x", "has_url", True),
        ("no link here", "has_url", False),
        ("THIS IS ALL SHOUTING NOW", "caps_ratio", True),
        ("快转发！！！", "share_plea", True),
        ("please share before it's deleted", "share_plea", True),
        ("工信部〔2026〕3号通知", "official_notice", True),
        ("Ministry notice No. 5", "official_notice", True),
        ("天气很好", "official_notice", False),
        ("wow!!", "exclamations", True),
    ],
)
def test_signals(text: str, signal: str, on: bool) -> None:
    values = dict(zip(SIGNAL_NAMES, signal_values(text), strict=True))
    assert (values[signal] > 0) is on
    assert all(-1.0 <= v <= 1.0 for v in values.values())


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("網傳小米汽車自動駕駛撞車", "网传小米汽车自动驾驶撞车"),
        ("電動車電池充電時起火", "电动车电池充电时起火"),
        ("工信部發佈通知", "工信部发布通知"),
    ],
)
def test_traditional_characters_read_as_simplified(traditional: str, simplified: str) -> None:
    assert normalise(traditional) == normalise(simplified)
