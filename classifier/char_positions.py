"""Where a text's TF-IDF features sit in it: each n-gram occurrence and the characters it covers.

The fast path (classifier.fast) only counts n-grams; explanations need to know where each
one occurs. Positions are in normalise(text); `alignment` maps them back onto the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from classifier.fast import _BASE, Row, _TfidfBlock
from classifier.text import URL_RE, normalise, url_domain

_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0xAC00, 0xD7AF))


def is_cjk(codes: np.ndarray) -> np.ndarray:
    cjk = (codes >= 0x4E00) & (codes <= 0x9FFF)
    if codes.max(initial=0) >= 0x3040:
        for low, high in _CJK_RANGES:
            cjk |= (codes >= low) & (codes <= high)
    return cjk


_FOLDED: dict[str, str] = {}  # character -> NFKC + lower-cased form (a few thousand at most)


def _fold(ch: str) -> str:
    folded = _FOLDED.get(ch)
    if folded is None:
        folded = _FOLDED[ch] = unicodedata.normalize("NFKC", ch).lower()
    return folded


def alignment(text: str) -> tuple[str, np.ndarray]:
    """Return normalise(text) and, per character of it, the index in text it came from (-1)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        # Each character folded to one (full-width to ASCII, case): positions line up.
        source = np.arange(len(text))
    else:
        # Per character: one may become several ("㈱" -> "(株)").
        pieces = [_fold(ch) for ch in text]
        folded = "".join(pieces)
        source = np.repeat(np.arange(len(text)), np.fromiter(map(len, pieces), np.intp,
                                                              len(pieces)))
    out, mapped, at = [], [], 0
    for match in URL_RE.finditer(folded):
        out.append(folded[at:match.start()])
        mapped.append(source[at:match.start()])
        domain = url_domain(match.group(0))
        found = match.group(0).find(domain)
        # A link becomes " domain ": its domain maps back onto the domain in the link.
        inner = (source[match.start() + found: match.start() + found + len(domain)]
                 if found >= 0 and domain else np.full(len(domain), source[match.start()]))
        out.append(f" {domain} ")
        mapped.append(np.concatenate([[-1], inner, [-1]]))
        at = match.end()
    if mapped:
        out.append(folded[at:])
        mapped.append(source[at:])
        normalised, index = "".join(out), np.concatenate(mapped).astype(np.intp)
    else:
        normalised, index = folded, source
    if normalised != normalise(text):
        # Composition across characters (a base and a combining mark), or a normalise()
        # this does not replay: spread the characters proportionally.
        normalised = normalise(text)
        index = (np.arange(len(normalised)) * len(text)) // max(len(normalised), 1)
    return normalised, index


def codes_of(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


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


def sorted_row(row: Row) -> Row:
    order = np.argsort(row[0], kind="stable")
    return row[0][order], row[1][order]
