"""Pure-Python/numpy replay of a fitted Pipeline for one text (the low-latency path)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from classifier.char_index import CharWbIndex, char_wb_ngrams
from classifier.linear import LinearHead, UnsupportedModel, shown_mask
from classifier.text import SIGNAL_NAMES, CheapSignals, normalise, signal_values

Row = tuple[np.ndarray, np.ndarray]  # (feature indices, feature values) of one text
_EDGE = " \t\n!\"#$%&'()*+,-./:;?@[]{}~，。！？、；：“”‘’（）《》【】"
# Function words say nothing about why a report was routed. (sklearn's stop list is not
# used: it contains "fire" and "system".)
_STOP = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been it its "
    "this that these those i you he she we they me my your his her our their them do does "
    "did has have had will would can could so if then than there here into about up".split()
)


def display_name(term: str, *, latin_fragments: bool = True) -> str:
    """Return a feature as shown to moderators ("" hides it from explanations)."""
    if term.startswith("signal:"):
        return term
    name = term.strip(_EDGE)
    # Character n-grams of Latin text are word fragments ("fir", "ire"); the word block
    # already names the whole word, so only CJK character n-grams are shown.
    if not latin_fragments and name.isascii():
        return ""
    if all(token in _STOP for token in name.split()):
        return ""
    return name


def _tokens_of_normalised(vec: TfidfVectorizer) -> Callable[[str], list[str]]:
    # The preprocessor (normalise) runs once per report in FeatureSpace.row, not per block.
    if vec.analyzer == "char_wb":
        low, high = vec.ngram_range
        return lambda doc: char_wb_ngrams(doc, low, high)
    if vec.analyzer == "char":
        return vec._char_ngrams
    tokenize, stop_words = vec.build_tokenizer(), vec.get_stop_words()
    return lambda doc: vec._word_ngrams(tokenize(doc), stop_words)


class _TfidfBlock:
    """One fitted TfidfVectorizer as a dict lookup plus numpy weighting."""

    def __init__(self, vec: TfidfVectorizer, offset: int) -> None:
        if vec.binary or vec.norm != "l2" or vec.vocabulary is not None:
            raise UnsupportedModel("only l2-normalised, non-binary TF-IDF is replayed")
        self.takes_normalised = vec.preprocessor is normalise and vec.input == "content"
        self.tokens: Callable[[str], list[str]] = (
            _tokens_of_normalised(vec) if self.takes_normalised else vec.build_analyzer()
        )
        # Shift indices once here so rows from all blocks can simply be concatenated.
        self.vocab = {term: j + offset for term, j in vec.vocabulary_.items()}
        vectorised = (self.takes_normalised and vec.analyzer == "char_wb"
                      and CharWbIndex.supports(vec.ngram_range))
        self.index = CharWbIndex(self.vocab, vec.ngram_range) if vectorised else None
        self.offset = offset
        self.width = len(vec.vocabulary_)
        self.sublinear = bool(vec.sublinear_tf)
        self.idf = np.asarray(vec.idf_, dtype=np.float64) if vec.use_idf else None
        words = vec.analyzer == "word"
        terms = vec.get_feature_names_out()
        self.names = [display_name(str(t), latin_fragments=words) for t in terms]
        self.params = vec.get_params()

    def same_as(self, other: object) -> bool:
        """Tell whether another block yields exactly the same columns for any text."""
        return (
            isinstance(other, _TfidfBlock)
            and self.offset == other.offset
            and self.params == other.params
            and self.names == other.names
            and (self.idf is None if other.idf is None
                 else self.idf is not None and np.array_equal(self.idf, other.idf))
        )

    def row(self, text: str, normalised: str) -> Row:
        if self.index is not None:
            idx, val = self.index.counts(normalised)
            val = val.astype(np.float64)
        else:
            idx, val = self._counts(normalised if self.takes_normalised else text)
        if not len(idx):
            return np.empty(0, dtype=np.intp), np.empty(0)
        if self.sublinear:
            val = np.log(val) + 1.0
        if self.idf is not None:
            val *= self.idf[idx - self.offset]
        norm = np.sqrt(val @ val)
        return idx, val / norm if norm > 0 else val

    def _counts(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        get = self.vocab.get
        counts = Counter(self.tokens(doc))
        # Column order does not matter: sums differ only in the last bits, and
        # explanations break ties by column index.
        hits = [(j, n) for t, n in counts.items() if (j := get(t)) is not None]
        if not hits:
            return np.empty(0, dtype=np.intp), np.empty(0)
        columns, counts_ = zip(*hits, strict=True)
        return np.array(columns, dtype=np.intp), np.array(counts_, dtype=np.float64)


class _SignalBlock:
    """The cheap-signals columns, which need no fitted state."""

    def __init__(self, offset: int) -> None:
        self.width = len(SIGNAL_NAMES)
        self.offset = offset
        self.idx = np.arange(offset, offset + self.width)
        self.names = [f"signal:{name}" for name in SIGNAL_NAMES]

    def same_as(self, other: object) -> bool:
        """Tell whether another block yields exactly the same columns for any text."""
        return isinstance(other, _SignalBlock) and self.offset == other.offset

    def row(self, text: str, normalised: str) -> Row:
        val = np.asarray(signal_values(text), dtype=np.float64)
        keep = val != 0.0
        return self.idx[keep], val[keep]


class FeatureSpace:
    """A fitted FeatureUnion replayed block by block, with display names per column."""

    def __init__(self, union: FeatureUnion, share_with: FeatureSpace | None = None) -> None:
        if not isinstance(union, FeatureUnion):
            raise UnsupportedModel("expected a FeatureUnion")
        donors = share_with.blocks if share_with is not None else []
        self.blocks: list[_TfidfBlock | _SignalBlock] = []
        weights = union.transformer_weights or {}
        self.weights = [float(weights.get(name, 1.0)) for name, _ in union.transformer_list]
        offset = 0
        for _, step in union.transformer_list:
            if isinstance(step, TfidfVectorizer):
                block: _TfidfBlock | _SignalBlock = _TfidfBlock(step, offset)
            elif isinstance(step, CheapSignals):
                block = _SignalBlock(offset)
            else:
                raise UnsupportedModel(f"unsupported feature block {type(step).__name__}")
            # Reuse an identical block of the other task so one text is analysed once.
            block = next((d for d in donors if d.same_as(block)), block)
            self.blocks.append(block)
            offset += block.width
        self.width = offset
        self.names = [name for block in self.blocks for name in block.names]
        self.shown = shown_mask(self.names)

    def row(
        self, text: str, cache: dict[int, Row] | None = None, normalised: str | None = None
    ) -> Row:
        """Return one text's sparse row as (indices, values); cache shares block rows."""
        cache = {} if cache is None else cache
        normalised = normalise(text) if normalised is None else normalised
        parts = []
        for block, weight in zip(self.blocks, self.weights, strict=True):
            part = cache.get(id(block))
            if part is None:
                part = cache[id(block)] = block.row(text, normalised)
            parts.append(part if weight == 1.0 else (part[0], part[1] * weight))
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


class FastPipeline:
    """A fitted features -> linear-model Pipeline, replayed without sklearn overhead."""

    def __init__(self, pipeline: Pipeline, space: FeatureSpace | None = None) -> None:
        if len(pipeline.steps) != 2:
            raise UnsupportedModel("expected a two-step features -> classifier pipeline")
        self.space = space if space is not None else FeatureSpace(pipeline.steps[0][1])
        self.head = LinearHead(pipeline.steps[1][1])
        self.coef_t = self.head.coef_t
        if self.coef_t.shape[0] != self.space.width:
            raise UnsupportedModel("feature width does not match the model's coefficients")

    def predict_proba(self, row: Row) -> np.ndarray:
        """Return class probabilities, in head.classes order, for one feature row."""
        return self.head.predict_proba(*row)
