"""The reasons' character positions as first written (Python loops), kept as the reference.

classifier.positions replays the same occurrences in numpy; tests/classifier/test_reasons_equal.py
checks that both give the same per-character contributions. Copied unchanged from
classifier/char_positions.py before the numpy replay (only the imports differ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from classifier.char_index import _BASE
from classifier.char_positions import alignment, codes_of, is_cjk
from classifier.explain import (
    FLOOR,
    GROW,
    LONE,
    MAX_SPANS,
    RELATIVE,
    Explainer,
    Span,
    _Units,
    _units,
)
from classifier.fast import FastPipeline, Row, _TfidfBlock
from classifier.positions import sorted_row


def char_flags(text: str, codes: np.ndarray, test: str, cjk: np.ndarray | None = None
           ) -> np.ndarray:
    """Return str.<test>() per character: a table for ASCII, Python only for the rest."""
    table = _ASCII_TABLES[test]
    out = table[np.minimum(codes, 127)]
    cjk = is_cjk(codes) if cjk is None else cjk
    out[cjk] = test == "isalnum"  # CJK characters are letters, never spaces
    wide = np.flatnonzero((codes > 127) & ~cjk)
    if len(wide):
        out[wide] = [getattr(text[i], test)() for i in wide.tolist()]
    return out


_ASCII_TABLES = {test: np.fromiter((getattr(chr(c), test)() for c in range(128)), bool, 128)
                 for test in ("isspace", "isalnum")}


@dataclass
class _Occurrences:
    """Where one block's vocabulary n-grams occur: each cover (char, occurrence, share)."""

    column: np.ndarray  # per occurrence: the global column
    weight: np.ndarray  # per occurrence: 1 / how often its column occurs in the text
    char: np.ndarray  # per covered character: its index in the normalised text
    owner: np.ndarray  # per covered character: which occurrence covers it
    share: np.ndarray  # per covered character: its share of the occurrence (sums to 1)


def _empty() -> _Occurrences:
    nothing = np.empty(0, dtype=np.intp)
    return _Occurrences(nothing, np.empty(0), nothing, nothing, np.empty(0))


def _covers(column: np.ndarray, start: np.ndarray, length: np.ndarray,
            src: np.ndarray, counts: np.ndarray | None = None) -> _Occurrences:
    """Spread occurrences at [start, start+length) of src's positions over real characters."""
    if not len(column):
        return _empty()
    owner = np.repeat(np.arange(len(column)), length)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(length) - length, length)
    char = src[np.repeat(start, length) + offsets]
    real = char >= 0  # padding spaces take no share
    owner, char = owner[real], char[real]
    per = np.bincount(owner, minlength=len(column)).astype(np.float64)
    # A column counted k times holds one value: each occurrence carries 1/k of it.
    if counts is None:
        _, inverse, counts = np.unique(column, return_inverse=True, return_counts=True)
        counts = counts[inverse]
    return _Occurrences(column, 1.0 / counts, char, owner, 1.0 / per[owner])


def _char_wb(block: _TfidfBlock, doc: str, space: np.ndarray) -> _Occurrences:
    """Return the char_wb n-gram occurrences of a normalised text, as CharWbIndex sees them."""
    index = block.index
    if index is None:
        raise ValueError("the block has no character index: load the model with its explainer")
    # CharWbIndex pads words as " w1  w2 ": where each padded character came from (-1).
    kept = np.flatnonzero(~space)
    if not len(kept):
        return _empty()
    gap = np.concatenate([[False], np.diff(kept) > 1])
    at = 1 + np.arange(len(kept)) + 2 * np.cumsum(gap)
    src = np.full(int(at[-1]) + 2, -1, dtype=np.intp)
    src[at] = kept
    digits = np.full(len(src), ord(" ") + 1, dtype=np.uint64)
    digits[at] = codes_of(doc)[kept].astype(np.uint64) + np.uint64(1)
    columns, starts, lengths, key = [], [], [], digits
    for n in range(1, index.high + 1):
        if n > 1:
            key = key[:-1] * _BASE + digits[n - 1:]
        if n < index.low:
            continue
        pos = np.searchsorted(index.keys, key)
        pos[pos == len(index.keys)] = 0
        hit = np.flatnonzero(index.keys[pos] == key)
        columns.append(index.columns[pos[hit]])
        starts.append(hit)
        lengths.append(np.full(len(hit), n))
    local = np.concatenate(columns)
    counts = np.bincount(local, minlength=len(index.keys))[local]
    return _covers(local + index.offset, np.concatenate(starts), np.concatenate(lengths), src,
                   counts)


def _words(block: _TfidfBlock, doc: str) -> _Occurrences:
    """Return word n-gram occurrences of a normalised text (each n-gram covers its words)."""
    params = block.params
    found = [(m.group(0), m.start(), m.end())
             for m in re.finditer(params["token_pattern"], doc)]
    stop = params.get("stop_words")
    tokens = [t for t in found if t[0] not in stop] if stop else found
    low, high = params["ngram_range"]
    get = block.vocab.get
    words = [t[0] for t in tokens]
    columns, firsts, sizes = [], [], []
    for n in range(low, high + 1):
        for i in range(len(tokens) - n + 1):
            column = get(" ".join(words[i:i + n]) if n > 1 else words[i])
            if column is not None:
                columns.append(column)
                firsts.append(i)
                sizes.append(n)
    if not columns:
        return _empty()
    # Each n-gram covers the characters of its n tokens (not the gaps between them).
    first, size = np.asarray(firsts, dtype=np.intp), np.asarray(sizes, dtype=np.intp)
    token = np.repeat(first, size) + (np.arange(size.sum()) - np.repeat(np.cumsum(size) - size,
                                                                         size))
    starts = np.asarray([t[1] for t in tokens], dtype=np.intp)[token]
    lengths = np.asarray([t[2] - t[1] for t in tokens], dtype=np.intp)[token]
    occ = _covers(np.arange(len(token)), starts, lengths, np.arange(len(doc)),
                  np.ones(len(token)))
    owner = np.repeat(np.arange(len(columns)), size)  # piece -> n-gram
    column = np.asarray(columns, dtype=np.intp)
    per = np.bincount(owner[occ.owner], minlength=len(columns)).astype(np.float64)
    _, inverse, counts = np.unique(column, return_inverse=True, return_counts=True)
    return _Occurrences(column, 1.0 / counts[inverse], occ.char, owner[occ.owner],
                        1.0 / per[owner[occ.owner]])


def occurrences(block: object, doc: str, space: np.ndarray) -> _Occurrences:
    """Return a block's occurrences; blocks not tied to characters give none."""
    if not isinstance(block, _TfidfBlock) or not block.takes_normalised:
        return _empty()
    if block.index is not None:
        return _char_wb(block, doc, space)
    if block.params.get("analyzer") == "word":
        return _words(block, doc)
    return _empty()  # char analyzers outside the vectorised range: no replay of positions


def char_scores(occ: _Occurrences, row: Row, weights: np.ndarray, width: int) -> np.ndarray:
    """Return per-character contribution in the normalised text for one task (row sorted)."""
    idx, val = row
    if not len(occ.column) or not len(idx):
        return np.zeros(width)
    pos = np.minimum(np.searchsorted(idx, occ.column), len(idx) - 1)
    value = np.where(idx[pos] == occ.column, val[pos], 0.0)
    contribution = value * weights[occ.column] * occ.weight
    return np.bincount(occ.char, weights=contribution[occ.owner] * occ.share, minlength=width)


def contributions(explainer: Explainer, text: str, best: int, t_row: Row, a_row: Row
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Return Explainer.contributions as the first implementation computed them."""
    doc, source = alignment(text)
    t_row, a_row = sorted_row(t_row), sorted_row(a_row)
    space = char_flags(doc, codes_of(doc), "isspace")
    coef = explainer.topic.coef_t
    t_w = coef[:, best] if coef.shape[1] > 1 else coef[:, 0] * (2 * best - 1)
    a_w = explainer.actionable.coef_t[:, -1] * explainer.raise_sign
    found: dict[int, _Occurrences] = {}

    def scores(fast: FastPipeline, row: Row, weights: np.ndarray) -> np.ndarray:
        total = np.zeros(len(doc))
        for block in fast.space.blocks:
            if id(block) not in found:
                found[id(block)] = occurrences(block, doc, space)
            total += char_scores(found[id(block)], row, weights, len(doc))
        return total

    t_norm = scores(explainer.topic, t_row, t_w)
    a_norm = scores(explainer.actionable, a_row, a_w)
    kept = source >= 0
    return (np.bincount(source[kept], weights=t_norm[kept], minlength=len(text)),
            np.bincount(source[kept], weights=a_norm[kept], minlength=len(text)))


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
    peak = np.zeros(len(first))
    np.maximum.at(peak, run[members], strength[members])
    spans = [Span(int(units.start[a]), int(units.end[b]), float(w))
             for a, b, w, p in zip(first, last, weight, peak, strict=True) if p >= threshold]
    if not spans:
        return []
    top = max(abs(s.weight) for s in spans)
    # A lone CJK character says little ("池" of 电池) unless it is among the strongest.
    spans = [s for s in spans if s.end - s.start > 1 or abs(s.weight) >= LONE * top]
    spans.sort(key=lambda s: -abs(s.weight))
    return sorted(spans[:MAX_SPANS], key=lambda s: s.start)
