"""The words search indexes: NFKC-folded, lower-cased Latin words and CJK character bigrams.

Chinese has no spaces, so a run of CJK characters is indexed as its overlapping pairs
(自动驾驶 -> 自动 动驾 驾驶): any phrase of two or more characters is then found by asking for
all of its pairs, on SQLite FTS5 and PostgreSQL full-text search alike, without a segmenter.
Pure functions: the migration's backfill uses them too.
"""

import re
import unicodedata

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")
MAX_INDEXED_CHARS = 12000  # claim + explanation; a transcript's tail adds little to find it


def fold(text: str) -> str:
    """Return text NFKC-normalised (full-width to half-width), case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def terms(text: str) -> list[str]:
    """Return the search terms of a text in order: words and CJK bigrams (a lone CJK char)."""
    found = []
    for match in _TOKEN.finditer(fold(text)):
        run = match.group(1)
        if run is None:
            found.append(match.group(2))
        elif len(run) == 1:
            found.append(run)
        else:
            found.extend(run[i:i + 2] for i in range(len(run) - 1))
    return found


def document(claim: str | None, explanation: str | None) -> str:
    """Return the space-separated, de-duplicated terms stored for one report."""
    text = f"{claim or ''}\n{explanation or ''}"[:MAX_INDEXED_CHARS]
    return " ".join(dict.fromkeys(terms(text)))
