"""Count one chunk of reports per TF-IDF block, and merge chunks into one vocabulary.

The worker side of classifier.scale: each chunk is analysed in its own process into
per-block term counts (`count_chunk`); `Merger` joins the chunks' term lists, applies
min_df / max_df / max_features as TfidfVectorizer.fit would, and sets the fitted state.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier.char_index import char_wb_ngrams
from classifier.text import normalise, signal_values


@dataclass
class Counts:
    """One block of one chunk: its own term list and CSR counts over it."""

    terms: list[str]
    indptr: np.ndarray
    indices: np.ndarray  # int32 positions in `terms`
    counts: np.ndarray  # int32


def _analyser(vec: TfidfVectorizer) -> tuple[bool, Callable[[str], list[str]]]:
    """Return (takes normalised text, analyser) giving the vectoriser's own terms."""
    if vec.preprocessor is normalise and vec.input == "content":
        if vec.analyzer == "char_wb":
            low, high = vec.ngram_range
            return True, lambda doc: char_wb_ngrams(doc, low, high)
        if vec.analyzer == "word":
            tokenize, stop_words = vec.build_tokenizer(), vec.get_stop_words()
            return True, lambda doc: vec._word_ngrams(tokenize(doc), stop_words)
    return False, vec.build_analyzer()


_BITS = 21  # every Unicode code point (+1) fits in 21 bits: three fit in one int64
_LOW = (1 << _BITS) - 1


def _decode(code: int) -> str:
    chars = []
    while code:
        chars.append(chr((code & _LOW) - 1))
        code >>= _BITS
    return "".join(reversed(chars))


def char_wb_counts(docs: Sequence[str], low: int, high: int) -> Counts:
    """Count char_wb n-grams (n <= 3) of normalised docs with numpy, as sklearn would.

    Words padded as " w " and joined by one more space ("  " never occurs inside a padded
    word), so the n-grams that contain two spaces in a row are exactly those that cross
    words (or documents), and are dropped. With n <= 3 sklearn's rule for words shorter
    than n never changes anything, since a padded word is at least 3 characters long.
    """
    if high > 3:
        raise ValueError("char_wb_counts packs at most 3 characters per n-gram")
    padded = [" " + "  ".join(words) + " " if (words := d.split()) else "" for d in docs]
    lengths = np.fromiter(map(len, padded), np.int64, len(padded))
    chars = np.frombuffer("".join(padded).encode("utf-32-le"), np.uint32).astype(np.int64) + 1
    owner = np.repeat(np.arange(len(docs)), lengths)
    space = chars == ord(" ") + 1
    codes, owners = [], []
    for n in range(low, min(high, len(chars)) + 1):
        m = len(chars) - n + 1
        code, ok = chars[:m].copy(), np.ones(m, dtype=bool)
        for k in range(1, n):
            code = (code << _BITS) | chars[k : k + m]
            ok &= ~(space[k - 1 : k - 1 + m] & space[k : k + m])
        codes.append(code[ok])
        owners.append(owner[:m][ok])
    code, owner = np.concatenate(codes), np.concatenate(owners)
    terms, term = np.unique(code, return_inverse=True)
    keys, counts = np.unique(owner * max(len(terms), 1) + term, return_counts=True)
    rows = keys // max(len(terms), 1)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(docs)))])
    indices = (keys - rows * max(len(terms), 1)).astype(np.int32)
    return Counts([_decode(int(t)) for t in terms], indptr, indices, counts.astype(np.int32))


def count_chunk(
    vecs: list[TfidfVectorizer], texts: list[str], signals: bool
) -> tuple[list[Counts], np.ndarray | None]:
    """Count every block's terms in one chunk of texts (runs in a worker process)."""
    analysers = [_analyser(v) for v in vecs]
    normalised = [normalise(t) for t in texts] if any(a[0] for a in analysers) else texts
    out = []
    for vec, (on_normalised, analyse) in zip(vecs, analysers, strict=True):
        if on_normalised and vec.analyzer == "char_wb" and vec.ngram_range[1] <= 3:
            out.append(char_wb_counts(normalised, *vec.ngram_range))
            continue
        vocab: dict[str, int] = {}
        setdefault = vocab.setdefault
        indices, counts, indptr = array("i"), array("i"), array("q", [0])
        for doc in normalised if on_normalised else texts:
            c = Counter(analyse(doc))
            # Look each distinct term up once, not once per occurrence.
            indices.extend([setdefault(t, len(vocab)) for t in c])
            counts.extend(c.values())
            indptr.append(len(indices))
        out.append(Counts(list(vocab), np.frombuffer(indptr, np.int64),
                           np.frombuffer(indices, np.int32), np.frombuffer(counts, np.int32)))
    sig = np.asarray([signal_values(t) for t in texts], dtype=np.float32) if signals else None
    return out, sig


class Merger:
    """Grows one block's global vocabulary with document and term frequencies."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.tf = np.zeros(0, dtype=np.int64)

    def add(self, block: Counts) -> np.ndarray:
        """Merge a chunk's counts; return its local -> global term ids."""
        setdefault, index = self.index.setdefault, self.index
        ids = np.fromiter((setdefault(t, len(index)) for t in block.terms), np.int64,
                          len(block.terms))
        grow = len(index) - len(self.df)
        if grow:
            self.df = np.concatenate([self.df, np.zeros(grow, np.int64)])
            self.tf = np.concatenate([self.tf, np.zeros(grow, np.int64)])
        local = len(block.terms)
        self.df[ids] += np.bincount(block.indices, minlength=local)
        self.tf[ids] += np.bincount(block.indices, weights=block.counts, minlength=local).astype(
            np.int64)
        block.terms = []  # the strings are in self.index now
        return ids

    def fit(self, vec: TfidfVectorizer, n_docs: int) -> np.ndarray:
        """Set vec's vocabulary_ and idf_ as vec.fit would; return global id -> column (-1)."""
        low = vec.min_df if isinstance(vec.min_df, int) else vec.min_df * n_docs
        high = vec.max_df if isinstance(vec.max_df, int) else vec.max_df * n_docs
        keep = np.flatnonzero((self.df >= low) & (self.df <= high))
        if len(keep) == 0:
            raise ValueError("empty vocabulary: every term is rarer than min_df")
        terms = np.asarray(list(self.index), dtype=object)
        if vec.max_features is not None and len(keep) > vec.max_features:
            # The most frequent terms, as sklearn keeps them (ties: alphabetical).
            by_name = keep[np.argsort(terms[keep], kind="stable")]
            keep = by_name[np.argsort(-self.tf[by_name], kind="stable")[: vec.max_features]]
        keep = keep[np.argsort(terms[keep], kind="stable")]  # sklearn sorts the vocabulary
        column = np.full(len(terms), -1, dtype=np.int64)
        column[keep] = np.arange(len(keep))
        vec.vocabulary_ = {str(t): j for j, t in enumerate(terms[keep])}
        vec.fixed_vocabulary_ = False
        if vec.use_idf:
            df = self.df[keep].astype(np.float64) + float(vec.smooth_idf)
            idf = np.full_like(df, n_docs + int(vec.smooth_idf))
            idf /= df
            np.log(idf, out=idf)
            vec.idf_ = idf + 1.0
            vec._tfidf.n_features_in_ = len(keep)
        self.index = {}
        return column
