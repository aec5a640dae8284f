"""Fit the TF-IDF blocks of a FeatureUnion on many reports, in parallel chunks.

`TfidfVectorizer.fit` analyses every text in one process and both task pipelines used to
repeat it. Here the texts are analysed once, in chunks spread over the CPU cores; the chunks'
counts are merged into one vocabulary, and the vectorisers are given exactly the fitted state
(`vocabulary_`, `idf_`) that their own `fit` would have produced, so the Pipelines and the
fast path use them unchanged. The training matrix comes out as float32 CSR, ready for SGD.
"""

from __future__ import annotations

import os
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from classifier.char_index import char_wb_ngrams
from classifier.text import CheapSignals, normalise, signal_values

CHUNK = 10_000  # reports per task: small enough to bound memory, big enough to amortise


@dataclass
class _Counts:
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


def char_wb_counts(docs: Sequence[str], low: int, high: int) -> _Counts:
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
    return _Counts([_decode(int(t)) for t in terms], indptr, indices, counts.astype(np.int32))


def _count_chunk(
    vecs: list[TfidfVectorizer], texts: list[str], signals: bool
) -> tuple[list[_Counts], np.ndarray | None]:
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
        out.append(_Counts(list(vocab), np.frombuffer(indptr, np.int64),
                           np.frombuffer(indices, np.int32), np.frombuffer(counts, np.int32)))
    sig = np.asarray([signal_values(t) for t in texts], dtype=np.float32) if signals else None
    return out, sig


class _Merger:
    """Grows one block's global vocabulary with document and term frequencies."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.tf = np.zeros(0, dtype=np.int64)

    def add(self, block: _Counts) -> np.ndarray:
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


def _tfidf_rows(block: _Counts, column: np.ndarray, vec: TfidfVectorizer) -> sp.csr_matrix:
    """Return a chunk's TF-IDF rows of one block over the fitted vocabulary, float32."""
    n = len(block.indptr) - 1
    cols = column[block.indices]
    rows = np.repeat(np.arange(n), np.diff(block.indptr))
    kept = cols >= 0
    cols, rows = cols[kept], rows[kept]
    val = block.counts[kept].astype(np.float64)
    if vec.sublinear_tf:
        val = np.log(val) + 1.0
    if vec.use_idf:
        val *= vec.idf_[cols]
    if vec.norm == "l2":
        norm = np.sqrt(np.bincount(rows, val * val, minlength=n))
        val /= np.where(norm > 0, norm, 1.0)[rows]
    elif vec.norm is not None:
        raise ValueError(f"unsupported norm {vec.norm!r}")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    shape = (n, len(vec.vocabulary_))
    return sp.csr_matrix((val.astype(np.float32), cols.astype(np.int32), indptr), shape=shape)


def _blocks(union: FeatureUnion) -> tuple[list[TfidfVectorizer], bool]:
    vecs, signals = [], False
    for position, (_, step) in enumerate(union.transformer_list):
        if isinstance(step, TfidfVectorizer):
            vecs.append(step)
        elif isinstance(step, CheapSignals) and position == len(union.transformer_list) - 1:
            signals = True
        else:
            raise ValueError(f"cannot fit {type(step).__name__} in chunks")
    return vecs, signals


def fit_union(
    union: FeatureUnion, texts: Sequence[str], *, n_jobs: int | None = None
) -> tuple[sp.csr_matrix, list[int]]:
    """Fit union's vectorisers in parallel chunks; return the float32 matrix, unweighted.

    Also returns where each block starts, so callers can apply transformer_weights.
    """
    vecs, signals = _blocks(union)
    jobs = n_jobs or min(os.cpu_count() or 1, 2)
    chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    results: Iterator = Parallel(n_jobs=jobs, return_as="generator")(
        delayed(_count_chunk)(vecs, chunk, signals) for chunk in chunks
    )
    del chunks
    mergers = [_Merger() for _ in vecs]
    counted: list[tuple[list[_Counts], list[np.ndarray], np.ndarray | None]] = []
    for blocks, sig in results:
        counted.append((blocks, [m.add(b) for m, b in zip(mergers, blocks, strict=True)], sig))
    columns = [m.fit(v, len(texts)) for m, v in zip(mergers, vecs, strict=True)]
    widths = [len(v.vocabulary_) for v in vecs] + ([len(CheapSignals().get_feature_names_out())]
                                                   if signals else [])
    parts = []
    while counted:
        blocks, ids, sig = counted.pop(0)
        pieces = [_tfidf_rows(b, col[i], v) for b, i, col, v in zip(
            blocks, ids, columns, vecs, strict=True)]
        if sig is not None:
            pieces.append(sp.csr_matrix(sig))
        parts.append(sp.hstack(pieces, format="csr", dtype=np.float32))
    matrix = _stack(parts)
    return matrix, list(np.cumsum([0] + widths)[:-1])


def _stack(parts: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Stack CSR chunks into one matrix with int32 indices, freeing each chunk as it goes."""
    nnz = sum(p.nnz for p in parts)
    rows = sum(p.shape[0] for p in parts)
    data = np.empty(nnz, dtype=np.float32)
    indices = np.empty(nnz, dtype=np.int32)
    indptr: np.ndarray[tuple[int], np.dtype[np.signedinteger]] = np.empty(
        rows + 1, dtype=np.int32 if nnz < 2**31 else np.int64)
    indptr[0] = at = row = 0
    width = parts[0].shape[1]
    while parts:
        p = parts.pop(0)
        data[at : at + p.nnz] = p.data
        indices[at : at + p.nnz] = p.indices
        indptr[row + 1 : row + p.shape[0] + 1] = p.indptr[1:] + at
        at += p.nnz
        row += p.shape[0]
    return sp.csr_matrix((data, indices, indptr), shape=(rows, width), copy=False)
