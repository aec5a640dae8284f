"""Print the starter corpus's figures for its data card (classifier/corpus/README.md).

    .venv/bin/python -m bench.corpus_card

Counts per topic, language and label, and length quartiles (characters) per language and
label, as Markdown tables.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

import classifier

CJK = re.compile(r"[\u4e00-\u9fff]")


def main() -> None:
    data = classifier.load_starter_corpus()
    lang = ["zh" if CJK.search(t) else "en" for t in data.texts]
    counts = Counter(zip(data.topics, lang, data.actionable, strict=True))
    print(f"{len(data)} rows\n")
    print("| topic | zh false | zh accurate | en false | en accurate | total |")
    print("|---|---:|---:|---:|---:|---:|")
    for topic in classifier.TOPICS:
        cells = [counts[(topic, lg, a)] for lg in ("zh", "en") for a in (1, 0)]
        print(f"| {topic} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    print("\n| language | label | rows | length q10 | q25 | median | q75 | q90 | with a link |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    # Pasted links, with or without a scheme (x.com/..., t.cn/...).
    links = re.compile(r"https?://|www\.|\b(?:[a-z0-9-]+\.)+(?:com|cn|org|net|gov|co|be|me|ly|io)/",
                       re.IGNORECASE)
    for lg in ("zh", "en"):
        for a, name in ((1, "false/misleading"), (0, "accurate/other")):
            rows = [t for t, l2, y in zip(data.texts, lang, data.actionable, strict=True)
                    if l2 == lg and y == a]
            q = np.percentile([len(t) for t in rows], [10, 25, 50, 75, 90]).round().astype(int)
            share = np.mean([bool(links.search(t)) for t in rows])
            print(f"| {lg} | {name} | {len(rows)} | " + " | ".join(map(str, q))
                  + f" | {share:.0%} |")


if __name__ == "__main__":
    main()
