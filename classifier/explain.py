"""Reasons a moderator can read: the spans of a report's own text that pushed each prediction.

Each TF-IDF feature's contribution (its value times the linear weight of the predicted
topic, or of the actionable model) is shared out over the characters its occurrences cover
(a word n-gram over its words), which gives every character of the original text a score.
Characters are then grouped into units that never cut a word (one CJK character, or one
whole Latin word) and neighbouring units pushing the same way above a threshold into spans.
Columns that cover no characters (the cheap signals, if a model has them) are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.char_positions import alignment, char_flags, codes_of, flag_table, is_cjk
from classifier.fast import FastPipeline, Row
from classifier.positions import (
    Occurrences,
    Positions,
    char_scores,
    find,
    merged,
    positions_of,
    sorted_row,
)

MAX_SPANS = 8  # per kind: more highlights than this stop telling anything apart
RELATIVE = 0.25  # a unit is highlighted from this share of the text's strongest unit up
FLOOR = 0.01  # ... and never below this absolute contribution (noise on a bland text)
GROW = 0.4  # a started span takes in neighbours pushing the same way from this share on
LONE = 0.5  # a one-character span is shown only from this share of the strongest span
# One CJK (or kana, hangul) character is a unit: no segmenter is needed, and a span of
# such units never cuts a word because every character boundary is a word boundary.


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the text and their summed contribution (signed)."""

    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Spans that pushed towards the topic, and spans that raised (+) or lowered (-) P."""

    topic: list[Span]
    actionable: list[Span]

    def to_dict(self, text: str) -> dict[str, list[dict[str, object]]]:
        """Return JSON-ready spans with the text each covers, strongest first."""

        def rows(spans: list[Span]) -> list[dict[str, object]]:
            ordered = sorted(spans, key=_strongest_first)
            return [{"start": s.start, "end": s.end, "text": text[s.start:s.end],
                     "weight": round(s.weight, 4)} for s in ordered]

        return {"topic": rows(self.topic), "actionable": rows(self.actionable)}


@dataclass
class _Units:
    """Words of a text: one CJK character, or one Latin word; never punctuation."""

    start: np.ndarray
    end: np.ndarray
    of_char: np.ndarray  # per character: its unit, or -1
    joined: np.ndarray  # per unit after the first: only spaces lie between it and the one before


def _units(text: str) -> _Units:
    codes = codes_of(text)
    cjk = is_cjk(codes)
    alnum = char_flags(text, codes, "isalnum", cjk)
    latin = alnum & ~cjk
    # "l2+", "5g-v2x", "weibo.com", "it's": inner joiners belong to the word.
    inner = np.zeros(len(codes), dtype=bool)
    if len(codes) > 2:
        middle = codes[1:-1]
        joiner = np.zeros(len(middle), dtype=bool)
        for code in _JOINERS:
            joiner |= middle == code
        inner[1:-1] = joiner & latin[:-2] & latin[2:]
    latin |= inner
    starts = cjk | (latin & ~np.concatenate([[False], latin[:-1]]))
    ends = cjk | (latin & ~np.concatenate([latin[1:], [False]]))
    start, end = np.flatnonzero(starts), np.flatnonzero(ends) + 1
    of_char = np.where(cjk | latin, np.cumsum(starts) - 1, -1)
    space = char_flags(text, codes, "isspace", cjk)
    punct = np.concatenate([[0], np.cumsum(~space & (of_char < 0))])
    joined = punct[start[1:]] == punct[end[:-1]]
    return _Units(start, end, of_char, joined)


_JOINERS = tuple(ord(c) for c in "'’.+-")


def spans_of(text: str, scores: np.ndarray, *, signed: bool,
             units: _Units | None = None) -> list[Span]:
    """Group per-character scores of text into whole-word spans (positive only unless signed).

    A span starts at a unit above the threshold and takes in its neighbours that push the
    same way at GROW of that, joined only across spaces (never across punctuation).
    """
    units = _units(text) if units is None else units
    if not len(units.start):
        return []
    inside = units.of_char >= 0
    totals = np.bincount(units.of_char[inside], weights=scores[inside],
                         minlength=len(units.start))
    signs = np.sign(totals) if signed else (totals > 0).astype(np.float64)
    strength = np.abs(totals) * (signs != 0)
    threshold = max(FLOOR, RELATIVE * float(strength.max()))
    eligible = strength >= GROW * threshold
    joins = np.zeros(len(totals), dtype=bool)
    joins[1:] = eligible[1:] & eligible[:-1] & (signs[1:] == signs[:-1]) & units.joined
    first = np.flatnonzero(eligible & ~joins)
    if not len(first):
        return []
    run = np.cumsum(eligible & ~joins) - 1
    members = np.flatnonzero(eligible)
    # Members are in order and so are their runs: a run ends where the next one starts.
    last = members[np.flatnonzero(np.diff(np.append(run[members], -1)) != 0)]
    weight = np.bincount(run[members], weights=totals[members], minlength=len(first))
    # Runs are consecutive among the members: each run's peak is one reduceat segment.
    peak = np.maximum.reduceat(strength[members], np.flatnonzero(np.diff(run[members],
                                                                         prepend=-1)))
    keep = peak >= threshold
    if not keep.any():
        return []
    start, end, weight = units.start[first[keep]], units.end[last[keep]], weight[keep]
    # A lone CJK character says little ("池" of 电池) unless it is among the strongest.
    shown = np.flatnonzero((end - start > 1) | (np.abs(weight) >= LONE * np.abs(weight).max()))
    # Strongest first (ties, to 1e-9, to the earlier span), then back in text order.
    ranked = shown[np.lexsort((shown, -np.round(np.abs(weight[shown]), 9)))]
    kept = np.sort(ranked[:MAX_SPANS])
    return [Span(a, b, w) for a, b, w in zip(start[kept].tolist(), end[kept].tolist(),
                                             weight[kept].tolist(), strict=True)]


def _strongest_first(span: Span) -> tuple[float, int]:
    # A phrase repeated in a report gives spans of equal weight; summed in another order
    # they differ in the last bits, so weights are compared to 1e-9 and ties go to the
    # earlier span.
    return -round(abs(span.weight), 9), span.start


class Explainer:
    """Turns the fast path's feature rows of one text into an Explanation."""

    def __init__(self, topic: FastPipeline, actionable: FastPipeline) -> None:
        self.topic, self.actionable = topic, actionable
        self.raise_sign = _raising_direction(actionable)
        # Lookup tables that depend only on the model: built once, per distinct block
        # (a block both tasks share is replayed once per text).
        self.positions: dict[int, Positions] = {}
        for block in topic.space.blocks + actionable.space.blocks:
            if id(block) not in self.positions:
                self.positions[id(block)] = positions_of(block)
        for test in ("isspace", "isalnum"):
            flag_table(test)

    def explain(self, text: str, best: int, t_row: Row, a_row: Row) -> Explanation:
        """Return the spans of text behind topic column `best` and behind P(actionable)."""
        t_chars, a_chars = self.contributions(text, best, t_row, a_row)
        units = _units(text)
        return Explanation(spans_of(text, t_chars, signed=False, units=units),
                           spans_of(text, a_chars, signed=True, units=units))

    def contributions(self, text: str, best: int, t_row: Row, a_row: Row
                      ) -> tuple[np.ndarray, np.ndarray]:
        """Return each character's contribution to the topic and to P(actionable)."""
        doc, source = alignment(text)
        t_row, a_row = sorted_row(t_row), sorted_row(a_row)
        codes = codes_of(doc)
        space = char_flags(doc, codes, "isspace")
        found = {key: find(positions, doc, codes, space)
                 for key, positions in self.positions.items()}
        coef = self.topic.coef_t
        # A two-topic model has one weight column, pointing towards the second topic.
        t_w = coef[:, best] if coef.shape[1] > 1 else coef[:, 0] * (2 * best - 1)
        a_w = self.actionable.coef_t[:, -1] * self.raise_sign
        # One set of occurrences per feature space (both tasks' spaces share their blocks).
        per_space: dict[tuple[int, ...], Occurrences] = {}

        def scores(fast: FastPipeline, row: Row, weights: np.ndarray) -> np.ndarray:
            key = tuple(id(block) for block in fast.space.blocks)
            if key not in per_space:
                per_space[key] = merged([found[id(block)] for block in fast.space.blocks])
            return char_scores(per_space[key], row, weights, len(doc))

        t_norm, a_norm = scores(self.topic, t_row, t_w), scores(self.actionable, a_row, a_w)
        kept = source >= 0
        t_chars = np.bincount(source[kept], weights=t_norm[kept], minlength=len(text))
        a_chars = np.bincount(source[kept], weights=a_norm[kept], minlength=len(text))
        return t_chars, a_chars


def _raising_direction(pipeline: FastPipeline) -> float:
    """Return +1 if a larger decision value raises P(positive) (sigmoid slopes may flip it)."""
    slopes = [a for m in pipeline.head.members if m.method == "sigmoid" for a, _ in m.params]
    return -1.0 if slopes and float(np.mean(slopes)) > 0 else 1.0
