"""Training copies of each report with a filler sentence, so padding does not move a score.

Reporters paste posts with their own words around them ("原帖如下", "Saw this today"). A
linear model on l2-normalised TF-IDF learns some weight for such words and dilutes the rest
of a short report with them; trained on a copy of every report with a filler before or
after it, under the same labels, it learns that fillers say nothing. The behavioural tests
check the result with other sentences than these.
"""

from __future__ import annotations

import random
import re

from classifier.data import LabelledData

FILLERS_ZH: tuple[str, ...] = (
    "消息来源：网络。", "以下为原文。", "转自朋友圈。", "大家看看。", "原帖如下。",
    "图片来自网络。", "请问这是真的吗？", "刚看到的。", "如题。", "截图在此。",
)
FILLERS_EN: tuple[str, ...] = (
    "Source: online.", "Original post below.", "Saw this today.", "See the screenshot.",
    "Copied from a group chat.", "Link in the comments.", "Anyone know more?",
    "Posted this morning.", "As titled.", "Here it is.",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def with_fillers(data: LabelledData, *, seed: int = 0) -> LabelledData:
    """Return the reports followed by one padded copy of each (same topic and label)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible padding of training rows, not secrets
    out = LabelledData(list(data.texts), list(data.topics), list(data.actionable))
    for text, topic, actionable in zip(data.texts, data.topics, data.actionable, strict=True):
        filler = rng.choice(FILLERS_ZH if _CJK.search(text) else FILLERS_EN)
        out.texts.append(f"{text} {filler}" if rng.random() < 0.5 else f"{filler} {text}")
        out.topics.append(topic)
        out.actionable.append(actionable)
    return out
