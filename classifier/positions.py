"""Where a text's TF-IDF features sit in it: each n-gram occurrence and the characters it covers.

The fast path (classifier.fast) only counts n-grams; explanations need to know where each
one occurs. Positions are in normalise(text) ("doc"); `char_positions.alignment` maps them
back onto the text. Each block's lookup tables depend only on the model, so `positions_of`
builds them once per loaded model (the Explainer keeps them), and a report is then replayed
with a few numpy calls per block, without a Python loop over characters or n-grams.

An occurrence covers pieces, each a run [start, end) of doc characters: a char_wb n-gram
one piece (its padding spaces cover nothing), a word n-gram one piece per word (not the gaps
between words). A column counted k times holds one value, so each of its occurrences carries
1/k of it, shared out evenly over the characters the occurrence covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from classifier.char_index import _BASE, CharWbIndex
from classifier.fast import Row, _TfidfBlock

_INTS = np.empty(0, dtype=np.intp)


@dataclass
class Occurrences:
    """One block's vocabulary n-grams found in a text, and the characters they cover."""

    column: np.ndarray  # per occurrence: its global column
    weight: np.ndarray  # per occurrence: 1 / how often its column occurs in the text
    owner: np.ndarray  # per piece: the occurrence it belongs to
    start: np.ndarray  # per piece: its first character in the normalised text
    end: np.ndarray  # per piece: one past its last character
    share: np.ndarray  # per piece: 1 / the characters its occurrence covers


NOTHING = Occurrences(_INTS, np.empty(0), _INTS, _INTS, _INTS, np.empty(0))


def _repeats(local: np.ndarray, width: int) -> np.ndarray:
    """Return, per block-local column, how often it occurs among local."""
    return np.bincount(local, minlength=width)[local]


class CharWbPositions:
    """Finds a char_wb block's n-grams in a text the way CharWbIndex counts them."""

    def __init__(self, index: CharWbIndex) -> None:
        self.index = index

    def find(self, doc: str, codes: np.ndarray, space: np.ndarray) -> Occurrences:
        index = self.index
        # CharWbIndex pads words as " w1  w2 ": the padded position of each kept character.
        kept = np.flatnonzero(~space)
        if not len(kept):
            return NOTHING
        at = np.arange(1, len(kept) + 1)
        at[1:] += 2 * np.cumsum(np.diff(kept) > 1)
        digits = np.full(int(at[-1]) + 2, ord(" ") + 1, dtype=np.uint64)
        digits[at] = codes[kept]
        digits[at] += np.uint64(1)
        parts, key = [], digits
        for n in range(1, index.high + 1):
            if n > 1:
                key = key[:-1] * _BASE + digits[n - 1:]
            if n >= index.low:
                parts.append(key)
        keys = np.concatenate(parts)
        pos = np.minimum(np.searchsorted(index.keys, keys), len(index.keys) - 1)
        hit = np.flatnonzero(index.keys[pos] == keys)
        # Which n each hit is, and where its n-gram starts among the padded characters.
        bounds = np.cumsum([0] + [len(p) for p in parts])
        part = np.searchsorted(bounds, hit, "right") - 1
        first = hit - bounds[part]
        local = index.columns[pos[hit]]
        # below[p]: kept characters before padded position p; an n-gram covers those
        # ranked below[first] .. below[first + n] - 1 (consecutive: one word).
        below = np.zeros(len(digits) + 1, dtype=np.intp)
        below[at + 1] = 1
        np.cumsum(below, out=below)
        low, high = below[first], below[first + index.low + part]
        covers = np.flatnonzero(high > low)  # a lone padding space covers no character
        low, high = low[covers], high[covers]
        repeats = _repeats(local, len(index.keys))
        return Occurrences(local + index.offset, 1.0 / repeats, covers, kept[low],
                           kept[high - 1] + 1, 1.0 / (high - low))


class WordPositions:
    """Finds a word block's n-grams as integer keys made of per-word ids, all in numpy."""

    def __init__(self, block: _TfidfBlock) -> None:
        params = block.params
        self.pattern = re.compile(params["token_pattern"])
        self.stop = params.get("stop_words")
        self.low, self.high = params["ngram_range"]
        self.offset, self.width = block.offset, block.width
        # Every word of a vocabulary n-gram gets an id from 1; an n-gram's key is its ids
        # as the digits of a number in base (words + 1), so keys of any n never collide.
        self.ids: dict[str, int] = {}
        terms = [term.split(" ") for term in block.vocab]
        for words in terms:
            for word in words:
                self.ids.setdefault(word, len(self.ids) + 1)
        self.base = len(self.ids) + 1
        # Tokens never hold a space for a pattern that cannot match one; keys must fit.
        self.supported = (self.pattern.groups == 0 and self.pattern.search(" \t\n") is None
                          and float(self.base) ** self.high < 2.0 ** 63)
        if not self.supported:
            return
        keys = np.fromiter((self._key(words) for words in terms), dtype=np.int64,
                           count=len(terms))
        order = np.argsort(keys)
        self.keys = keys[order]
        self.columns = np.fromiter(block.vocab.values(), dtype=np.intp,
                                   count=len(terms))[order]

    def _key(self, words: list[str]) -> int:
        key = 0
        for word in words:
            key = key * self.base + self.ids[word]
        return key

    def find(self, doc: str) -> Occurrences:
        if not self.supported:
            return NOTHING
        words = self.pattern.findall(doc)  # the same matches as finditer, found in C
        if not words:
            return NOTHING
        bounds = np.array([m.span() for m in self.pattern.finditer(doc)], dtype=np.intp)
        if self.stop:
            unstopped = [i for i, word in enumerate(words) if word not in self.stop]
            words, bounds = [words[i] for i in unstopped], bounds[unstopped]
            if not words:
                return NOTHING
        starts, ends = bounds[:, 0], bounds[:, 1]
        # A word outside every vocabulary n-gram has id 0: no key containing it matches.
        ids = np.fromiter(map(self.ids.get, words, [0] * len(words)), dtype=np.int64,
                          count=len(words))
        known = ids > 0
        columns, firsts, sizes, key, whole = [], [], [], ids, known
        for n in range(1, self.high + 1):
            if n > 1:
                key = key[:-1] * self.base + ids[n - 1:]
                whole = whole[:-1] & known[n - 1:]
            if n < self.low or not len(key):
                continue
            pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
            hit = np.flatnonzero(whole & (self.keys[pos] == key))
            columns.append(self.columns[pos[hit]])
            firsts.append(hit)
            sizes.append(np.full(len(hit), n))
        column = np.concatenate(columns) if columns else _INTS
        if not len(column):
            return NOTHING
        # Each n-gram covers its n words: piece k of n-gram o is word first[o] + k.
        size = np.concatenate(sizes)
        owner = np.repeat(np.arange(len(column)), size)
        word = np.concatenate(firsts)[owner] + np.arange(len(owner))
        word -= np.repeat(np.cumsum(size) - size, size)
        start, end = starts[word], ends[word]
        chars = np.bincount(owner, weights=end - start, minlength=len(column))
        repeats = _repeats(column - self.offset, self.width)
        return Occurrences(column, 1.0 / repeats, owner, start, end,
                           1.0 / chars[owner])


Positions = CharWbPositions | WordPositions | None


def positions_of(block: object) -> Positions:
    """Return the position finder of a block; None for blocks not tied to characters."""
    if not isinstance(block, _TfidfBlock) or not block.takes_normalised:
        return None
    if block.index is not None:
        return CharWbPositions(block.index)
    if block.params.get("analyzer") == "word":
        return WordPositions(block)
    return None  # char analyzers outside the vectorised range: no replay of positions


def find(positions: Positions, doc: str, codes: np.ndarray, space: np.ndarray) -> Occurrences:
    """Return the occurrences a position finder sees in a normalised text."""
    if isinstance(positions, CharWbPositions):
        return positions.find(doc, codes, space)
    if isinstance(positions, WordPositions):
        return positions.find(doc)
    return NOTHING


def merged(found: list[Occurrences]) -> Occurrences:
    """Return the occurrences of several blocks as one (their columns never overlap)."""
    found = [occ for occ in found if len(occ.owner)]
    if len(found) < 2:
        return found[0] if found else NOTHING
    before = np.cumsum([0] + [len(occ.column) for occ in found[:-1]])
    return Occurrences(
        np.concatenate([occ.column for occ in found]),
        np.concatenate([occ.weight for occ in found]),
        np.concatenate([occ.owner + at for occ, at in zip(found, before, strict=True)]),
        np.concatenate([occ.start for occ in found]),
        np.concatenate([occ.end for occ in found]),
        np.concatenate([occ.share for occ in found]),
    )


def char_scores(occ: Occurrences, row: Row, weights: np.ndarray, width: int) -> np.ndarray:
    """Return per-character contribution in the normalised text for one task (row sorted)."""
    idx, val = row
    if not len(occ.owner) or not len(idx):
        return np.zeros(width)
    pos = np.minimum(np.searchsorted(idx, occ.column), len(idx) - 1)
    value = np.where(idx[pos] == occ.column, val[pos], 0.0)
    per_char = (value * weights[occ.column] * occ.weight)[occ.owner] * occ.share
    # Each piece adds per_char to its characters: +at its start, -past its end, summed up.
    steps = np.bincount(occ.start, weights=per_char, minlength=width + 1)
    steps -= np.bincount(occ.end, weights=per_char, minlength=width + 1)
    return np.cumsum(steps[:width])


def sorted_row(row: Row) -> Row:
    order = np.argsort(row[0], kind="stable")
    return row[0][order], row[1][order]
