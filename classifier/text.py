"""Text normalisation for every feature extractor, and cheap rumour-style surface signals."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

# Stop a URL at whitespace, quotes, brackets, commas and any CJK character: Chinese
# posts glue text straight onto links, and NFKC has already turned "，" into ",".
URL_RE = re.compile(
    r"(?:https?://|www\.)"
    r"[^\s<>\"'()\[\]{},!，。！？、；：（）《》「」【】\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+"
)
# Latin-script words, numbers and compounds such as 5g-v2x, l2+, weibo.com, 2.0.
WORD_TOKEN_PATTERN = r"[a-z0-9]+(?:[._'+-][a-z0-9]+)*\+?"  # noqa: S105 - a regex, not a password


def url_domain(url: str) -> str:
    """Return the host of a URL without scheme, port or a leading www."""
    host = re.sub(r"^(?:https?://)?", "", url).split("/", 1)[0].split("?", 1)[0]
    host = host.split("@")[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def _domain_token(match: re.Match[str]) -> str:
    # The path of a URL is mostly noise (ids, tracking); the domain says who published it.
    return f" {url_domain(match.group(0))} "


@functools.cache
def _simplified_table() -> dict[int, str]:
    """Return a str.translate table from traditional to simplified CJK characters.

    Built once from OpenCC's t2s dictionary, character by character: a report written in
    traditional characters (Hong Kong, Taiwan, some forwards) must read like the same
    report in simplified ones, and a table lookup keeps scoring fast.
    """
    import opencc  # a compiled library: loaded only when a text is first normalised

    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    simplified = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(t): s for t, s in zip(chars, simplified, strict=True) if t != s and len(s) == 1}


def normalise(text: str) -> str:
    """Return NFKC-folded, lower-cased, simplified text with each URL replaced by its domain."""
    # NFKC first so full-width ｈｔｔｐ：／／ and Ｗｅｉｂｏ become ASCII before matching.
    folded = unicodedata.normalize("NFKC", text).lower().translate(_simplified_table())
    return URL_RE.sub(_domain_token, folded)


SIGNAL_NAMES: tuple[str, ...] = (
    "has_url",
    "caps_ratio",
    "exclamations",
    "share_plea",
    "digit_ratio",
    "official_notice",
    "length",
)

# Literal CJK phrases are found with `in` (fast C substring search); one alternation
# regex over them costs tens of microseconds per report.
_SHARE_ZH = ("转发", "扩散", "转给", "速看", "速转", "删前", "快看", "紧急通知", "告诉家人")
_SHARE_EN = re.compile(
    r"\b(?:forward|share)\b|spread the word|tell everyone|before (?:it'?s|they) delete"
)
_NOTICE_ZH = (
    "通知", "公告", "通告", "部令", "红头文件", "工信部", "交通运输部", "国务院", "发改委",
    "市场监管总局", "公安部",
)
_NOTICE_RE = re.compile(
    r"〔20\d\d〕|\[20\d\d\]|第\s*\d+\s*号|"
    r"notice no|circular|ministry|\bmiit\b|\bndrc\b|regulation no|decree"
)
_ASCII = bytes(range(128))
_NOT_LETTER = bytes(c for c in _ASCII if not chr(c).isalpha())
_NOT_UPPER = bytes(c for c in _ASCII if not chr(c).isupper())
_NOT_DIGIT = bytes(c for c in _ASCII if not chr(c).isdigit())


def signal_values(text: str) -> list[float]:
    """Return the SIGNAL_NAMES values, each in [-1, 1], for one raw report."""
    text = unicodedata.normalize("NFKC", text)
    lower = text.lower()
    # Counting in the ASCII bytes with bytes.translate is ~10x faster than a regex.
    ascii_ = text.encode("ascii", "ignore")
    letters = len(ascii_.translate(None, _NOT_LETTER))
    # Too few Latin letters makes the caps ratio meaningless (e.g. one "EV" in Chinese).
    caps = len(ascii_.translate(None, _NOT_UPPER)) / letters if letters >= 8 else 0.0
    share = any(p in text for p in _SHARE_ZH) or _SHARE_EN.search(lower) is not None
    notice = any(p in text for p in _NOTICE_ZH) or _NOTICE_RE.search(lower) is not None
    return [
        1.0 if URL_RE.search(lower) else 0.0,
        caps,
        min(text.count("!") / 3.0, 1.0),
        1.0 if share else 0.0,
        len(ascii_.translate(None, _NOT_DIGIT)) / max(len(text), 1),
        1.0 if notice else 0.0,
        # Centred on a typical ~80-character report so that the explanation shows
        # length only when a report is unusually short or long.
        max(-1.0, min(1.0, (math.log1p(len(text)) - math.log1p(80)) / 3.0)),
    ]


class CheapSignals(TransformerMixin, BaseEstimator):
    """Stateless transformer turning raw texts into the SIGNAL_NAMES columns."""

    def fit(self, texts: Sequence[str], y: object = None) -> CheapSignals:
        """Do nothing: the signals have no learned state."""
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return a sparse (n_texts, n_signals) matrix so FeatureUnion stays sparse."""
        rows = [signal_values(text) for text in texts]
        dense = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(SIGNAL_NAMES))
        return sp.csr_matrix(dense)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Return the signal names, prefixed so explanations can tell them from terms."""
        return np.asarray([f"signal:{name}" for name in SIGNAL_NAMES], dtype=object)
