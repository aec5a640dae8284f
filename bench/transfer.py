"""Transfer benchmark: train on the starter corpus only, then score real posts.

    .venv/bin/python -m bench.transfer [--datasets ../shared/datasets] [--split val|test]

Prints, for the model the product ships (starter corpus, shipped settings):
- P(actionable) ROC-AUC on Weibo21 (fake = actionable; `无法确定` rows dropped), on the val
  split by default (for choices) and on test with `--split test` (once, for the record);
- P(actionable) ROC-AUC on CED (rumour = actionable): its seed-42 80 % part with the val
  split, its 20 % test part with `--split test`;
- the share of Weibo21 posts routed to an ICV desk (any topic but `off-topic`): these are
  general Weibo posts, nearly none of them about vehicles.

The research datasets are read from their shared folder and never trained on.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

import classifier

# The figures of the starter model before the corpus rewrite (issue 14, main 4ee7831).
BEFORE = {"weibo21": 0.44, "ced": 0.62, "icv_share": 0.33}
TARGET = {"weibo21": 0.70, "ced": 0.75, "icv_share": 0.10}
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def weibo21(root: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Return Weibo21 texts and fake (1) / real (0) labels of one split."""
    with open(root / "weibo21" / f"{split}.jsonl", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = [r for r in rows if r["category"] != "无法确定"]
    return [r["content"] for r in rows], np.asarray([int(r["label"]) for r in rows])


def ced(root: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Return texts and rumour (1) / non-rumour (0) labels of CED's seed-42 80/20 split.

    Nothing is trained on CED: its 80 % part serves choices ("val"), the 20 % the record.
    """
    path = root / "ced_weibo" / "ced_original_labels.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts, labels = [r["text"] for r in rows], [int(r["label"] == "rumor") for r in rows]
    xv, xs, yv, ys = train_test_split(texts, labels, test_size=0.2, stratify=labels,
                                      random_state=42)
    return (xs, np.asarray(ys)) if split == "test" else (xv, np.asarray(yv))


def measure(model: classifier.TriageModel, root: Path, split: str) -> dict[str, float]:
    """Return the three transfer figures of one trained model."""
    texts, labels = weibo21(root, split)
    topics, p_weibo = model.predict_arrays(texts)
    off = classifier.TOPICS.index("off-topic")
    icv_share = float(np.mean(topics.argmax(axis=1) != off))
    ced_texts, ced_labels = ced(root, split)
    _, p_ced = model.predict_arrays(ced_texts)
    return {
        "weibo21": float(roc_auc_score(labels, p_weibo)),
        "ced": float(roc_auc_score(ced_labels, p_ced)),
        "icv_share": icv_share,
        "n_weibo21": len(texts),
        "n_ced": len(ced_texts),
    }


def report(figures: dict[str, float], split: str) -> None:
    """Print the figures beside the ones before the rewrite and the targets."""
    print(f"{'figure':<44}{'before':>8}{'now':>8}{'target':>9}")
    rows = [
        (f"Weibo21 {split} P(actionable) ROC-AUC (n={figures['n_weibo21']})", "weibo21", ">="),
        (f"CED {split} P(actionable) ROC-AUC (n={figures['n_ced']})", "ced", ">="),
        ("Weibo21 posts routed to an ICV desk", "icv_share", "<="),
    ]
    for name, key, sense in rows:
        now, target = figures[key], TARGET[key]
        met = now >= target if sense == ">=" else now <= target
        print(f"{name:<44}{BEFORE[key]:>8.2f}{now:>8.3f}{sense:>4}{target:.2f} "
              f"{'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--split", choices=("val", "test"), default="val")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    data = classifier.load_starter_corpus()
    started = time.perf_counter()
    model = classifier.train_model(data)
    print(f"trained on the starter corpus: {len(data)} reports "
          f"in {time.perf_counter() - started:.1f} s")
    report(measure(model, args.datasets, args.split), args.split)


if __name__ == "__main__":
    main()
