"""Held-out quality of the starter model (5-fold CV) and the feature/calibration ablation.

Run from the repository root:  .venv/bin/python -m bench.starter_quality [--seeds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from classifier import TOPICS, LabelledData, cross_validate, load_starter_corpus
from classifier.card import library_versions
from classifier.evaluation import metrics_from_predictions, out_of_fold
from classifier.features import ACTIONABLE_SETTINGS, TOPIC_SETTINGS, ModelSettings


def machine() -> str:
    """Return one line describing the machine and library versions."""
    versions = " ".join(f"{k} {v}" for k, v in library_versions().items())
    return f"{platform.platform()} | {os.cpu_count()} CPUs | {versions}"


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Return the expected calibration error of probabilities p against 0/1 outcomes y."""
    which = np.minimum((p * bins).astype(int), bins - 1)
    gaps = [abs(p[which == b].mean() - y[which == b].mean()) * (which == b).mean()
            for b in range(bins) if (which == b).any()]
    return float(sum(gaps))


def repeated_cv(data: LabelledData, seeds: int, topic: ModelSettings,
                actionable: ModelSettings) -> list[float]:
    """Return repeated 5-fold CV means: topic acc, macro-F1, log loss, ECE; AUC, AP, Brier, ECE."""
    truth = np.asarray([TOPICS.index(t) for t in data.topics])
    y = np.asarray(data.actionable, dtype=float)
    rows = []
    for seed in range(seeds):
        proba, p_act = out_of_fold(data, random_state=seed, topic_settings=topic,
                                   actionable_settings=actionable)
        m = metrics_from_predictions(data.topics, data.actionable, proba, p_act)
        hit = (proba.argmax(1) == truth).astype(float)
        rows.append([m["topic"]["accuracy"], m["topic"]["macro_f1"], m["topic"]["log_loss"],
                     ece(proba.max(1), hit), m["actionable"]["roc_auc"],
                     m["actionable"]["average_precision"], m["actionable"]["brier"],
                     ece(p_act, y)])
    return list(np.mean(rows, axis=0))


# (name, topic settings, actionable settings, seeds override for the slow rows)
ABLATION: list[tuple[str, ModelSettings, ModelSettings, int | None]] = [
    ("chosen: topic words x0.5, no signals, temperature; actionable signals, sigmoid",
     TOPIC_SETTINGS, ACTIONABLE_SETTINGS, None),
    ("word block at full weight for topic", TOPIC_SETTINGS.but(word_weight=1.0),
     ACTIONABLE_SETTINGS, None),
    ("word block x0.5 for actionable too", TOPIC_SETTINGS,
     ACTIONABLE_SETTINGS.but(word_weight=0.5), None),
    ("signals in both", TOPIC_SETTINGS.but(signals=True), ACTIONABLE_SETTINGS, None),
    ("signals in neither", TOPIC_SETTINGS, ACTIONABLE_SETTINGS.but(signals=False), None),
    ("sigmoid for topic / temperature for actionable",
     TOPIC_SETTINGS.but(calibration="sigmoid"), ACTIONABLE_SETTINGS.but(calibration="temperature"),
     None),
    ("word 1-2 n-grams dropped (char only)",
     TOPIC_SETTINGS.but(word_ngrams=None), ACTIONABLE_SETTINGS.but(word_ngrams=None), None),
    ("word unigrams only + char",
     TOPIC_SETTINGS.but(word_ngrams=(1, 1)), ACTIONABLE_SETTINGS.but(word_ngrams=(1, 1)), None),
    ("char n-grams 2-4 instead of 1-3",
     TOPIC_SETTINGS.but(char_ngrams=(2, 4)), ACTIONABLE_SETTINGS.but(char_ngrams=(2, 4)), None),
    ("min_df=1", TOPIC_SETTINGS.but(min_df=1), ACTIONABLE_SETTINGS.but(min_df=1), None),
    ("logistic regression C=10, uncalibrated (1 seed)",
     TOPIC_SETTINGS.but(calibration=None), ACTIONABLE_SETTINGS.but(calibration=None), 1),
    ("logistic regression C=10 + same calibration (1 seed)",
     TOPIC_SETTINGS.but(estimator="logistic", C=10.0),
     ACTIONABLE_SETTINGS.but(estimator="logistic", C=10.0), 1),
]


def main() -> None:
    """Print held-out metrics of the starter model and the ablation table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3, help="CV repetitions for the ablation")
    args = parser.parse_args()
    data = load_starter_corpus()
    print(f"machine: {machine()}")
    print(f"starter corpus: {len(data)} reports, {sum(data.actionable)} actionable\n")

    started = time.perf_counter()
    m = cross_validate(data, folds=5, random_state=0)
    took = time.perf_counter() - started
    print(f"## 5-fold CV, held-out (pooled out-of-fold predictions), seed 0 — {took:.1f} s")
    print("| metric | value |\n|---|---|")
    print(f"| topic accuracy | {m['topic']['accuracy']:.3f} |")
    print(f"| topic macro-F1 | {m['topic']['macro_f1']:.3f} |")
    print(f"| topic log loss | {m['topic']['log_loss']:.3f} |")
    for topic, f1 in m["topic"]["per_class_f1"].items():
        print(f"| F1 {topic} | {f1:.3f} |")
    for key in ("roc_auc", "average_precision", "brier"):
        print(f"| actionable {key} | {m['actionable'][key]:.3f} |")

    print(f"\n## Ablation: 5-fold CV repeated over {args.seeds} seeds, means")
    print("| variant | topic acc | macro-F1 | log loss | ECE | act. AUC | AP | Brier | ECE | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, topic, actionable, seeds in ABLATION:
        started = time.perf_counter()
        r = repeated_cv(data, seeds or args.seeds, topic, actionable)
        cells = " | ".join(f"{v:.3f}" for v in r)
        print(f"| {name} | {cells} | {time.perf_counter() - started:.0f} |", flush=True)


if __name__ == "__main__":
    main()
