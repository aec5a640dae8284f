"""Fit the TF-IDF blocks of a FeatureUnion on many reports, in parallel chunks.

`TfidfVectorizer.fit` analyses every text in one process and both task pipelines used to
repeat it. Here the texts are analysed once, in chunks spread over the CPU cores; the chunks'
counts are merged into one vocabulary, and the vectorisers are given exactly the fitted state
(`vocabulary_`, `idf_`) that their own `fit` would have produced, so the Pipelines and the
fast path use them unchanged. The training matrix comes out as float32 CSR, ready for SGD.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from classifier.chunk_counts import Counts, Merger, count_chunk
from classifier.text import CheapSignals

CHUNK = 10_000  # reports per task: small enough to bound memory, big enough to amortise


def _tfidf_rows(block: Counts, column: np.ndarray, vec: TfidfVectorizer) -> sp.csr_matrix:
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
        delayed(count_chunk)(vecs, chunk, signals) for chunk in chunks
    )
    del chunks
    mergers = [Merger() for _ in vecs]
    counted: list[tuple[list[Counts], list[np.ndarray], np.ndarray | None]] = []
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
