"""The project's own features and models on public datasets, with their official splits.

Train on train, choose settings on validation, report test once. Data is read in place
from --datasets (default ../shared/datasets next to the repository); never copied.

Run from the repository root:  .venv/bin/python -m bench.datasets [--only liar,ced]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion

from classifier.fast import FeatureSpace
from classifier.features import ModelSettings, build_features, build_pipeline
from classifier.linear import LinearHead
from classifier.persistence import library_versions

REPO = Path(__file__).resolve().parents[1]
BASE = ModelSettings(signals=False, calibration_folds=3)


@dataclass
class FieldModel:
    """Fitted feature unions over one or more text fields, weighted, plus one classifier."""

    unions: list[FeatureUnion]
    weights: list[float]
    clf: object

    def matrix(self, fields: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Return the weighted, concatenated feature matrix of the given field columns."""
        blocks = [w * u.transform(list(f)) for u, w, f in zip(
            self.unions, self.weights, fields, strict=True)]
        return sp.hstack(blocks, format="csr")

    def scores(self, fields: Sequence[Sequence[str]]) -> np.ndarray:
        """Return predict_proba of the classifier over the fields."""
        return self.clf.predict_proba(self.matrix(fields))

    def fast_scorer(self) -> Callable[[Sequence[str]], np.ndarray]:
        """Return the numpy fast path over one item's fields (as the product uses it)."""
        spaces = [FeatureSpace(u) for u in self.unions]
        offsets = np.cumsum([0] + [s.width for s in spaces])[:-1]
        head = LinearHead(self.clf)

        def score(item: Sequence[str]) -> np.ndarray:
            rows = [s.row(text) for s, text in zip(spaces, item, strict=True)]
            idx = np.concatenate([r[0] + o for r, o in zip(rows, offsets, strict=True)])
            val = np.concatenate([r[1] * w for r, w in zip(rows, self.weights, strict=True)])
            return head.predict_proba(idx, val)

        return score


def fit(settings: Sequence[ModelSettings], weights: Sequence[float],
        fields: Sequence[Sequence[str]], y: Sequence[object], cs: Sequence[float],
        ) -> dict[float, FieldModel]:
    """Fit the feature unions once and one calibrated classifier per C on top."""
    unions = [build_features(s).fit(list(f)) for s, f in zip(settings, fields, strict=True)]
    probe = FieldModel(unions, list(weights), None)
    x = probe.matrix(fields)
    models = {}
    for c in cs:
        clf = build_pipeline(settings[0].but(C=c), n_rows=x.shape[0]).steps[1][1]
        models[c] = FieldModel(unions, list(weights), clf.fit(x, list(y)))
    return models


def timed_per_item(model: FieldModel, items: list[Sequence[str]]) -> float:
    """Return the median fast-path microseconds per item, after checking it is exact."""
    score = model.fast_scorer()
    check = model.scores(list(zip(*items[:50], strict=True)))
    assert np.allclose([score(i) for i in items[:50]], check, atol=1e-9, rtol=0)
    times = []
    for item in items[:2000]:
        start = time.perf_counter_ns()
        score(item)
        times.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(times)


def grid_search(name: str, configs: dict[str, tuple[list[ModelSettings], list[float]]],
                train: list[list[str]], y_train: list, val: list[list[str]], y_val: list,
                cs: Sequence[float], metric: Callable[[list, np.ndarray], float],
                field_count: Callable[[str], int] = lambda _: 1,
                ) -> tuple[str, float, FieldModel]:
    """Return (config, C, model) with the best validation metric; print every cell."""
    best: tuple[float, str, float, FieldModel] | None = None
    for label, (settings, weights) in configs.items():
        n = len(settings)
        models = fit(settings, weights, train[:n], y_train, cs)
        cells = []
        for c, model in models.items():
            value = metric(y_val, model.scores(val[:n]))
            cells.append(f"C={c:g}: {value:.4f}")
            if best is None or value > best[0]:
                best = (value, label, c, model)
        print(f"  [{name} val] {label}: " + ", ".join(cells), flush=True)
    assert best is not None
    print(f"  [{name}] chosen on validation: {best[1]}, C={best[2]:g} ({best[0]:.4f})")
    return best[1], best[2], best[3]


def accuracy(y: list, proba: np.ndarray, classes: Sequence[object]) -> float:
    """Return accuracy of the argmax class."""
    return float(accuracy_score(y, np.asarray(classes)[proba.argmax(1)]))


def macro_f1(y: list, proba: np.ndarray) -> float:
    """Return binary macro-F1 at the 0.5 threshold (classes 0/1)."""
    return float(f1_score(y, proba.argmax(1), average="macro"))


def liar(root: Path) -> list[tuple]:
    """LIAR: 6-way label from the statement text only (no credit-history columns)."""
    def read(split: str) -> tuple[list[str], list[str]]:
        with open(root / "liar" / f"{split}.tsv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [r[2] for r in rows], [r[1] for r in rows]

    (xt, yt), (xv, yv), (xs, ys) = read("train"), read("valid"), read("test")
    classes = sorted(set(yt))
    configs = {
        "word 1-2 + char_wb 1-3": ([BASE], [1.0]),
        "word 1-2 only": ([BASE.but(char_ngrams=None)], [1.0]),
        "word 1-2 + char_wb 2-5": ([BASE.but(char_ngrams=(2, 5))], [1.0]),
        "word 1-2 + char_wb 1-3, balanced": ([BASE.but(class_weight="balanced")], [1.0]),
        "word 1-2 + char_wb 1-3 + signals": ([BASE.but(signals=True)], [1.0]),
        "word 1-3 + char_wb 1-3 + signals": ([BASE.but(signals=True, word_ngrams=(1, 3))], [1.0]),
        "word 1-2 + signals": ([BASE.but(signals=True, char_ngrams=None)], [1.0]),
    }
    label, c, model = grid_search(
        "LIAR", configs, [xt], yt, [xv], yv, (0.003, 0.01, 0.03),
        lambda y, p: accuracy(y, p, classes))
    test = accuracy(ys, model.scores([xs]), classes)
    majority = ys.count(max(classes, key=yt.count)) / len(ys)
    print(f"  [LIAR] majority-class test accuracy {majority:.4f}")
    return [("LIAR (6-class, text only)", "test accuracy", f"{test:.4f}", "0.270 (CNN)",
             timed_per_item(model, [[t] for t in xs]))]


def weibo21(root: Path) -> list[tuple]:
    """Weibo21: fake vs real over 9 domains (无法确定 dropped), test macro-F1."""
    def read(split: str) -> list[dict]:
        with open(root / "weibo21" / f"{split}.jsonl", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        return [r for r in rows if r["category"] != "无法确定"]

    train, val, test = read("train"), read("val"), read("test")

    def fields(rows: list[dict]) -> list[list[str]]:
        # Second field: the domain name, as MDFEND also conditions on the domain.
        return [[r["content"] for r in rows], [r["category"] for r in rows]]

    domain = BASE.but(word_ngrams=None, char_ngrams=(1, 4), char_analyzer="char", min_df=1)
    configs = {
        "char_wb 1-3": ([BASE], [1.0]),
        "char_wb 1-4": ([BASE.but(char_ngrams=(1, 4))], [1.0]),
        "char 1-4 (no word boundaries)":
            ([BASE.but(char_ngrams=(1, 4), char_analyzer="char")], [1.0]),
        "char_wb 1-4 + signals": ([BASE.but(char_ngrams=(1, 4), signals=True)], [1.0]),
        "char_wb 1-3 + domain": ([BASE, domain], [1.0, 0.5]),
        "char_wb 1-4 + domain": ([BASE.but(char_ngrams=(1, 4)), domain], [1.0, 0.5]),
        "char 1-4 + domain":
            ([BASE.but(char_ngrams=(1, 4), char_analyzer="char"), domain], [1.0, 0.5]),
        "char_wb 1-3, no word n-grams": ([BASE.but(word_ngrams=None)], [1.0]),
        "char_wb 1-3 + words x0.3": ([BASE.but(word_weight=0.3)], [1.0]),
        "char_wb 1-3, no word n-grams + domain": ([BASE.but(word_ngrams=None), domain], [1.0, 0.5]),
        "char_wb 1-4, no word n-grams + domain":
            ([BASE.but(word_ngrams=None, char_ngrams=(1, 4)), domain], [1.0, 0.5]),
    }
    yt, yv, ys = ([r["label"] for r in rows] for rows in (train, val, test))
    label, c, model = grid_search("Weibo21", configs, fields(train), yt, fields(val), yv,
                                  (0.3, 1.0, 3.0), macro_f1)
    n = len(configs[label][0])
    proba = model.scores(fields(test)[:n])
    with open(root / "weibo21" / "train.jsonl", encoding="utf-8") as f:
        seen = {json.loads(line)["content"] for line in f}
    fresh = np.asarray([r["content"] not in seen for r in test])
    everything = macro_f1(ys, proba)
    unseen = macro_f1(list(np.asarray(ys)[fresh]), proba[fresh])
    items = [list(item) for item in zip(*fields(test)[:n], strict=True)]
    per = timed_per_item(model, items)
    print(f"  [Weibo21] {int((~fresh).sum())} test texts also in train")
    return [("Weibo21 (9 domains)", "test macro-F1", f"{everything:.4f}", "0.914 (MDFEND)", per),
            (f"Weibo21 without the {int((~fresh).sum())} texts seen in train", "test macro-F1",
             f"{unseen:.4f}", "—", per)]


def mean_ap(groups: list[np.ndarray], y: np.ndarray, score: np.ndarray) -> float:
    """Return MAP over groups: AP = mean precision at each relevant rank (CLEF scorer)."""
    aps = []
    for g in groups:
        order = g[np.argsort(-score[g], kind="stable")]
        hits = y[order] == 1
        ranks = np.flatnonzero(hits) + 1
        aps.append(float(np.mean(np.arange(1, len(ranks) + 1) / ranks)) if len(ranks) else 0.0)
    return float(np.mean(aps))


def clef(root: Path) -> list[tuple]:
    """CLEF-2019 CheckThat! task 1: rank debate sentences by P(check-worthy), MAP."""
    def read(folder: str) -> list[tuple[str, list[list[str]]]]:
        debates = []
        for path in sorted((root / "clef2019_checkthat_task1" / folder).glob("*.tsv")):
            lines = path.read_bytes().decode("utf-8").split("\n")
            rows = [line.rstrip("\r").split("\t") for line in lines if line.strip()]
            debates.append((path.stem, rows))
        return debates

    def columns(debates: list) -> tuple[list[list[str]], np.ndarray, list[np.ndarray]]:
        sentence, context, speaker, labels, groups, start = [], [], [], [], [], 0
        for _, rows in debates:
            texts = [r[2] for r in rows]
            for i, r in enumerate(rows):
                sentence.append(texts[i])
                # Claims come in runs: the neighbouring sentences are evidence too.
                context.append(" ".join(texts[max(i - 1, 0):i] + texts[i + 1:i + 2]))
                speaker.append(f"speaker_{r[1].lower()}")
                labels.append(int(r[3]))
            groups.append(np.arange(start, start + len(rows)))
            start += len(rows)
        return [sentence, context, speaker], np.asarray(labels), groups

    training, test = read("training"), read("test_annotated")
    val_names = {name for name, _ in training[2::5]}
    fit_part = [d for d in training if d[0] not in val_names]
    val_part = [d for d in training if d[0] in val_names]
    (xt, yt, _), (xv, yv, gv) = columns(fit_part), columns(val_part)
    words = BASE.but(char_ngrams=None, calibration="sigmoid")
    spk = BASE.but(char_ngrams=None, min_df=1)
    configs = {
        "sentence word 1-2": ([words], [1.0]),
        "sentence word 1-2, balanced": ([words.but(class_weight="balanced")], [1.0]),
        "sentence word 1-2 + signals": ([words.but(signals=True)], [1.0]),
        "sentence word 1-2 + signals, balanced":
            ([words.but(signals=True, class_weight="balanced")], [1.0]),
        "sentence word 1-3 + signals, balanced":
            ([words.but(signals=True, class_weight="balanced", word_ngrams=(1, 3))], [1.0]),
        "sentence word 1-2 + char_wb 1-3 + signals, balanced":
            ([words.but(signals=True, class_weight="balanced", char_ngrams=(1, 3))], [1.0]),
        "sentence + signals + context(0.5), balanced":
            ([words.but(signals=True, class_weight="balanced"), words], [1.0, 0.5]),
        "sentence + signals + context(0.5) + speaker, balanced":
            ([words.but(signals=True, class_weight="balanced"), words, spk], [1.0, 0.5, 1.0]),
    }
    print(f"  [CLEF] validation debates (held out of training): {sorted(val_names)}")
    label, c, _ = grid_search("CLEF", configs, xt, list(yt), xv, list(yv), (0.01, 0.03, 0.1),
                              lambda y, p: mean_ap(gv, np.asarray(y), p[:, 1]))
    settings, weights = configs[label]
    (xa, ya, _), (xs, ys, gs) = columns(training), columns(test)
    n = len(settings)
    model = fit(settings, weights, xa[:n], list(ya), [c])[c]  # refit on all 19 debates
    proba = model.scores(xs[:n])[:, 1]
    for (name, _), g in zip(test, gs, strict=True):
        print(f"  [CLEF] AP {name}: {mean_ap([g], ys, proba):.3f}")
    items = [list(item) for item in zip(*xs[:n], strict=True)]
    return [("CLEF-2019 CheckThat! T1 (7 test debates)", "test MAP",
             f"{mean_ap(gs, ys, proba):.4f}", "0.166 (Copenhagen)",
             timed_per_item(model, items))]


def ced(root: Path) -> list[tuple]:
    """CED: rumour vs non-rumour Weibo posts; stratified 80/20 split with seed 42."""
    with open(root / "ced_weibo" / "ced_original_labels.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    xtr, xs, ytr, ys = train_test_split(texts, labels, test_size=0.2, stratify=labels,
                                        random_state=42)
    # No official validation split: carve one out of the training 80 % the same way.
    xt, xv, yt, yv = train_test_split(xtr, ytr, test_size=0.2, stratify=ytr, random_state=42)
    configs = {
        "char_wb 1-3": ([BASE], [1.0]),
        "char_wb 1-4": ([BASE.but(char_ngrams=(1, 4))], [1.0]),
        "char 1-4": ([BASE.but(char_ngrams=(1, 4), char_analyzer="char")], [1.0]),
        "char_wb 1-3 + signals": ([BASE.but(signals=True)], [1.0]),
        "char_wb 1-4 + signals": ([BASE.but(char_ngrams=(1, 4), signals=True)], [1.0]),
        "char_wb 1-3, no word n-grams": ([BASE.but(word_ngrams=None)], [1.0]),
        "char_wb 1-3 + words x0.3": ([BASE.but(word_weight=0.3)], [1.0]),
        "char_wb 1-3, no word n-grams + signals":
            ([BASE.but(word_ngrams=None, signals=True)], [1.0]),
    }
    classes = sorted(set(labels))
    label, c, _ = grid_search("CED", configs, [xt], yt, [xv], yv, (0.3, 1.0, 3.0),
                              lambda y, p: accuracy(y, p, classes))
    model = fit(configs[label][0], [1.0], [xtr], ytr, [c])[c]  # refit on the whole 80 %
    test = accuracy(ys, model.scores([xs]), classes)
    return [("CED (Weibo rumours, 80/20 seed 42)", "test accuracy", f"{test:.4f}",
             "none published; TF-IDF+LR ≈ 0.88", timed_per_item(model, [[t] for t in xs]))]


BENCHES: dict[str, Callable[[Path], list[tuple]]] = {
    "liar": liar, "weibo21": weibo21, "clef": clef, "ced": ced,
}


def main() -> None:
    """Run the selected dataset benches and print the summary table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated names")
    parser.add_argument("--estimator", choices=("linear-svm", "sgd"), default="linear-svm",
                        help="sgd: the classifier train_model uses for large training sets")
    args = parser.parse_args()
    global BASE  # every dataset's grid derives its settings from BASE
    BASE = BASE.but(estimator=args.estimator)
    versions = " ".join(f"{k} {v}" for k, v in library_versions().items())
    print(f"machine: {platform.platform()} | {os.cpu_count()} CPUs | {versions}")
    results = []
    started = time.perf_counter()
    for name in args.only.split(","):
        t0 = time.perf_counter()
        print(f"\n== {name}", flush=True)
        results += BENCHES[name](args.datasets)
        print(f"  ({time.perf_counter() - t0:.0f} s)")
    print(f"\ntotal {time.perf_counter() - started:.0f} s\n")
    print("| dataset | metric | ours | published best | per-report scoring time |")
    print("|---|---|---|---|---|")
    for dataset, metric, ours, published, micros in results:
        print(f"| {dataset} | {metric} | {ours} | {published} | {micros:.0f} µs |")


if __name__ == "__main__":
    main()
