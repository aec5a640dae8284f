"""Character n-grams of normalised text as sklearn's char_wb analyzer makes them.

`char_wb_ngrams` builds the strings (the general path); `CharWbIndex` looks n-grams of 1-3
characters up as integer keys in numpy (the fast path's and the explanations' path).
"""

from __future__ import annotations

import numpy as np


def char_wb_ngrams(doc: str, min_n: int, max_n: int) -> list[str]:
    """Return the same n-grams as TfidfVectorizer(analyzer="char_wb"), in a faster loop."""
    out: list[str] = []
    extend = out.extend
    # str.split() and sklearn's whitespace regex agree on what whitespace is.
    for word in doc.split():
        w = f" {word} "
        size = len(w)
        for n in range(min_n, max_n + 1):
            if size <= n:  # sklearn counts a word no longer than n only once
                out.append(w)
                break
            extend([w[i : i + n] for i in range(size - n + 1)])
    return out


_BASE = np.uint64(1 << 21)  # above every code point (+1), so keys never collide


def _ngram_key(gram: str) -> int:
    """Return the integer key of a 1-3 character n-gram (digits are code point + 1)."""
    key = 0
    for ch in gram:
        key = key * (1 << 21) + ord(ch) + 1
    return key


class CharWbIndex:
    """char_wb n-grams of length 1-3 looked up as integer keys, all in numpy.

    Building ~3 strings per character and hashing each costs most of a report's scoring
    time; here each n-gram is an integer made from its code points, and one searchsorted
    maps all of them to columns at once. Counts equal sklearn's char_wb analyzer.
    """

    def __init__(self, vocab: dict[str, int], ngram_range: tuple[int, int]) -> None:
        keys = np.fromiter((_ngram_key(t) for t in vocab), dtype=np.uint64, count=len(vocab))
        order = np.argsort(keys)
        self.keys = keys[order]
        self.columns = np.fromiter(vocab.values(), dtype=np.intp, count=len(vocab))[order]
        self.offset = int(self.columns.min()) if len(vocab) else 0
        self.columns -= self.offset  # local columns, so bincount needs only the block's width
        self.low, self.high = ngram_range

    @staticmethod
    def supports(ngram_range: tuple[int, int]) -> bool:
        """Tell whether the range fits: 3 digits of 21 bits fill a uint64."""
        low, high = ngram_range
        # Padded words have 3+ characters, so with low <= 3 sklearn's "short word counted
        # once" rule never applies and every n-gram inside a word is counted.
        return 1 <= low <= high <= 3

    def counts(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (columns, counts) of the vocabulary n-grams in a normalised text."""
        # sklearn pads each whitespace-separated word with one space on each side. Joined
        # with two spaces, an n-gram that crosses words contains "  ", which no padded
        # word contains, so it is never in the vocabulary and needs no masking.
        words = doc.split()
        if not words:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        padded = " " + "  ".join(words) + " "
        digits = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        digits = digits.astype(np.uint64)
        digits += np.uint64(1)
        parts, key = [], digits
        for n in range(1, self.high + 1):
            if n > 1:
                key = key[:-1] * _BASE
                key += digits[n - 1 :]
            if n >= self.low:
                parts.append(key)
        grams = np.concatenate(parts)
        grams.sort()  # sorted needles make searchsorted walk the keys in order
        pos = np.searchsorted(self.keys, grams)
        pos[pos == len(self.keys)] = 0
        per_column = np.bincount(self.columns[pos[self.keys[pos] == grams]],
                                 minlength=len(self.keys))
        found = np.flatnonzero(per_column)
        return found + self.offset, per_column[found]
