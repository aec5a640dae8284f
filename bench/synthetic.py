"""Synthetic labelled reports for training-scale benchmarks, recombined from the starter corpus.

Each report takes one to four clauses of starter reports with the same topic and label
(in either language, sometimes both), then adds noise the way real reports differ: invented
product names, numbers, plate-like codes, typos and random CJK characters. The noise makes
the vocabulary keep growing with N, as it does with real reports. Nothing here comes from a
public dataset; the texts are as synthetic as the starter corpus they are built from.
"""

from __future__ import annotations

import random
import re
import string
from collections import defaultdict

from classifier import LabelledData, load_starter_corpus

_CLAUSE = re.compile(r"[^。！？；!?;\n.]+[。！？；!?;\n.]*")
_SYLLABLES = ["ka", "vo", "lar", "tis", "ne", "stra", "ki", "mo", "zen", "dri", "qu", "xi",
              "ion", "ul", "ta", "ber", "ox", "ri", "sun", "pha"]
# The common CJK block: random characters and pairs from it grow the char n-gram vocabulary.
_CJK_START, _CJK_END = 0x4E00, 0x9FA5


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.findall(text)]
    return [p for p in parts if p] or [text]


def _brand(rng: random.Random) -> str:
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    model = f" {rng.choice('KXSV')}{rng.randint(1, 99)}" if rng.random() < 0.5 else ""
    return name.capitalize() + model


def _cjk(rng: random.Random, n: int) -> str:
    return "".join(chr(rng.randint(_CJK_START, _CJK_END)) for _ in range(n))


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(len(text) - 1)
    choice = rng.random()
    if choice < 0.4:  # swap two neighbours
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if choice < 0.7:  # drop one
        return text[:i] + text[i + 1:]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]


def _noise(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.35:
        return _brand(rng)
    if pick < 0.55:
        return _cjk(rng, rng.randint(1, 3))
    if pick < 0.7:
        return f"{rng.randint(1, 2030)}{rng.choice(['', '%', ' km', '元', ' yuan', '辆', 'kWh'])}"
    if pick < 0.85:
        return f"https://{rng.choice(['t.cn', 'weibo.com', 'example.net', 'v.douyin.com'])}/" + \
            "".join(rng.choices(string.ascii_letters + string.digits, k=8))
    return f"{_cjk(rng, 1)}{rng.choice(string.ascii_uppercase)}{rng.randint(10000, 99999)}"


def synthetic_reports(n: int, seed: int = 0) -> LabelledData:
    """Return n labelled reports recombined from the starter corpus with random noise."""
    rng = random.Random(seed)
    corpus = load_starter_corpus()
    pools: dict[tuple[str, int], list[list[str]]] = defaultdict(list)
    for text, topic, act in zip(corpus.texts, corpus.topics, corpus.actionable, strict=True):
        pools[(topic, act)].append(_clauses(text))
    keys = list(pools)
    weights = [len(pools[k]) for k in keys]
    out = LabelledData()
    for _ in range(n):
        key = rng.choices(keys, weights)[0]
        pool = pools[key]
        parts: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 4))):
            clauses = rng.choice(pool)
            start = rng.randrange(len(clauses))
            parts.extend(clauses[start:start + rng.randint(1, 2)])
        words = " ".join(parts)
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            cut = rng.randint(0, len(words))
            words = f"{words[:cut]} {_noise(rng)} {words[cut:]}"
        if rng.random() < 0.3:
            words = _typo(words, rng)
        out.texts.append(words.strip() or "?")
        out.topics.append(key[0])
        out.actionable.append(key[1])
    return out
