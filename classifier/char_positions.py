"""Characters of a report for its explanation: where normalise(text) came from, and their classes.

Explanations (classifier.explain) find n-grams in normalise(text); `alignment` maps those
positions back onto the text. `char_flags` classes characters without a Python call per
character.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np

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
    """Return str.<test>() per character: a table for the BMP, Python only beyond it."""
    out = flag_table(test)[np.minimum(codes, 0xFFFF)]
    cjk = is_cjk(codes) if cjk is None else cjk
    out[cjk] = test == "isalnum"  # CJK characters are letters, never spaces
    wide = np.flatnonzero((codes > 0xFFFF) & ~cjk)
    if len(wide):
        out[wide] = [getattr(text[i], test)() for i in wide.tolist()]
    return out


@functools.cache
def flag_table(test: str) -> np.ndarray:
    """Return str.<test>() of every BMP code point (surrogates included), built once."""
    return np.fromiter((getattr(chr(c), test)() for c in range(0x10000)), bool, 0x10000)
