"""Clustering signatures: character n-gram TF-IDF plus bilingual signals, and their similarity.

Character n-grams (bigrams and trigrams of Chinese, 3–5-grams inside Latin words) need no
word segmenter. The IDF comes from the bundled starter corpus, so words every report uses
("the", "视频") weigh little. Glossary entities, glossary concepts and numbers form a second,
language-neutral vector: the only bridge between a Chinese and an English report.
"""

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cache

from intake.clustering import glossary
from intake.triage import scoring as triage

KEEP_NGRAMS = 64  # strongest n-gram terms kept in a signature
URL_RE = re.compile(r"(?:https?://|www\.)\S+")
TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+(?:['.-][a-z0-9]+)*")
NUMBER_RE = re.compile(
    r"(?<![a-z0-9.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万|亿|k\b|thousand|million|billion)?"
)
MULTIPLIERS = {"万": 1e4, "亿": 1e8, "k": 1e3, "thousand": 1e3, "million": 1e6, "billion": 1e9}
SIGNAL_WEIGHTS = {"entity": 2.0, "number": 1.5, "concept": 1.0}


def term_id(term: str) -> int:
    """Return a stable signed 32-bit id of a term (the case_terms key)."""
    value = zlib.crc32(term.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def clean(text: str) -> str:
    """Return NFKC-folded, lower-cased text without links (links are matched by key)."""
    return URL_RE.sub(" ", unicodedata.normalize("NFKC", text).lower())


def informative_length(cleaned: str) -> int:
    """Return Latin letters and digits plus three per Chinese character (about a word each)."""
    return sum(3 if _is_cjk(ch) else 1 for ch in cleaned if ch.isalnum())


def ngrams(cleaned: str) -> Counter[str]:
    """Return character n-gram counts of cleaned text."""
    counts: Counter[str] = Counter()
    for run in TOKEN_RE.findall(cleaned):
        if _is_cjk(run[0]):
            grams = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
            counts.update(grams)
            counts.update(run[i:i + 3] for i in range(len(run) - 2))
        else:
            word = f" {run} "
            for n in (3, 4, 5):
                counts.update(word[i:i + n] for i in range(len(word) - n + 1))
    return counts


def numbers(cleaned: str) -> set[str]:
    """Return numbers of 10 and more, written out ("10万" and "100,000" both "#100000")."""
    found = set()
    for digits, unit in NUMBER_RE.findall(cleaned):
        value = float(digits.replace(",", "")) * MULTIPLIERS.get(unit, 1)
        if value >= 10:
            found.add(f"#{value:g}" if value < 1e15 else f"#{value:.3e}")
    return found


@cache
def _idf() -> tuple[dict[str, float], float]:
    texts = triage.reference_texts()
    df: Counter[str] = Counter()
    for text in texts:
        df.update(ngrams(clean(text)).keys())
    total = len(texts) + 1
    return {g: math.log(total / (n + 1)) + 1 for g, n in df.items()}, math.log(total) + 1


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: round(w / norm, 5) for t, w in weights.items()}


@dataclass(frozen=True)
class Signature:
    """Unit n-gram and signal vectors of a text; `specific` signals may find candidates."""

    ngrams: dict[int, float]
    signals: dict[int, float]
    specific: frozenset[int]
    informative: bool

    def index_terms(self, count: int) -> list[int]:
        """Return the strongest n-gram terms and the specific signals, for the inverted index."""
        strongest = sorted(self.ngrams, key=self.ngrams.__getitem__, reverse=True)[:count]
        return strongest + sorted(self.specific - set(strongest))

    def to_json(self) -> dict[str, float]:
        """Return the flat form stored in cases.signature ("s"/"e" prefix: signals)."""
        data = {str(t): w for t, w in self.ngrams.items()}
        data.update({("e" if t in self.specific else "s") + str(t): w
                     for t, w in self.signals.items()})
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> "Signature":
        """Rebuild a signature stored by to_json (an empty one for None)."""
        grams, signals, specific = {}, {}, set()
        for key, weight in (data or {}).items():
            if key[0] in "se":
                signals[int(key[1:])] = weight
                if key[0] == "e":
                    specific.add(int(key[1:]))
            else:
                grams[int(key)] = weight
        return cls(grams, signals, frozenset(specific), bool(grams or signals))


def signature(text: str, *, min_chars: int) -> Signature:
    """Return the signature of a report's text; too short a text is not informative."""
    cleaned = clean(text)
    idf, unseen = _idf()
    weighted = {g: (1 + math.log(n)) * idf.get(g, unseen) for g, n in ngrams(cleaned).items()}
    strongest = sorted(weighted.items(), key=lambda item: item[1], reverse=True)[:KEEP_NGRAMS]
    signal_kinds = {("§" + k): kind for k, kind in glossary.signals_in(cleaned).items()}
    signal_kinds.update({n: "number" for n in numbers(cleaned)})
    signals = {term_id(k): SIGNAL_WEIGHTS[kind] for k, kind in signal_kinds.items()}
    specific = frozenset(term_id(k) for k, kind in signal_kinds.items() if kind != "concept")
    return Signature(
        ngrams=_unit({term_id(g): w for g, w in strongest}),
        signals=_unit(signals),
        specific=specific,
        informative=informative_length(cleaned) >= min_chars,
    )


def similarity_to_stored(query: dict[str, float], stored: dict[str, float],
                         rules: "Rules") -> float:
    """Return similarity() of two signatures in their stored form (query.to_json() first).

    Used for every candidate of a lookup: comparing the stored dicts directly skips
    rebuilding each candidate's Signature.
    """
    text = signal = 0.0
    shared = specific = 0
    for key, weight in query.items():
        other = stored.get(key)
        if other is None:
            continue
        if key[0] == "e":
            specific += 1
        if key[0] in "se":
            signal += weight * other
            shared += 1
        else:
            text += weight * other
    has_signals = any(k[0] in "se" for k in query) and any(k[0] in "se" for k in stored)
    return _combine(text, signal if has_signals else None, shared, specific, rules)


def _combine(text: float, signal: float | None, shared: int, specific: int,
             rules: "Rules") -> float:
    if signal is None:
        return text
    score = (1 - rules.signal_weight) * text + rules.signal_weight * signal
    # Across languages only the signals agree: many shared, two of them specific (a maker
    # and a place, a place and a number, ...) before a Chinese and an English report join.
    if (signal >= rules.signal_threshold and shared >= rules.signal_min_shared
            and specific >= 2):
        score = max(score, rules.threshold + (signal - rules.signal_threshold) / 4)
    return min(1.0, score)


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


@dataclass(frozen=True)
class Rules:
    """When two signatures are about the same thing (from the CLUSTER_* settings)."""

    threshold: float = 0.5
    signal_weight: float = 0.3
    signal_threshold: float = 0.75
    signal_min_shared: int = 3


def similarity(a: Signature, b: Signature, rules: Rules) -> float:
    """Return how alike two signatures are, 0..1; comparable with rules.threshold."""
    text = _dot(a.ngrams, b.ngrams)
    if not (a.signals and b.signals):
        return text
    shared = a.signals.keys() & b.signals.keys()
    return _combine(text, _dot(a.signals, b.signals), len(shared), len(shared & a.specific),
                    rules)
