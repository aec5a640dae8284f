"""One function per public dataset: official splits, a settings grid chosen on validation,
one test score (bench.datasets). Each takes the datasets folder and the base settings."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from classifier.features import ModelSettings

from .dataset_models import accuracy, fit, grid_search, macro_f1, mean_ap, timed_per_item


def liar(root: Path, base: ModelSettings) -> list[tuple]:
    """LIAR: 6-way label from the statement text only (no credit-history columns)."""
    def read(split: str) -> tuple[list[str], list[str]]:
        with open(root / "liar" / f"{split}.tsv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [r[2] for r in rows], [r[1] for r in rows]

    (xt, yt), (xv, yv), (xs, ys) = read("train"), read("valid"), read("test")
    classes = sorted(set(yt))
    configs = {
        "word 1-2 + char_wb 1-3": ([base], [1.0]),
        "word 1-2 only": ([base.but(char_ngrams=None)], [1.0]),
        "word 1-2 + char_wb 2-5": ([base.but(char_ngrams=(2, 5))], [1.0]),
        "word 1-2 + char_wb 1-3, balanced": ([base.but(class_weight="balanced")], [1.0]),
        "word 1-2 + char_wb 1-3 + signals": ([base.but(signals=True)], [1.0]),
        "word 1-3 + char_wb 1-3 + signals": ([base.but(signals=True, word_ngrams=(1, 3))], [1.0]),
        "word 1-2 + signals": ([base.but(signals=True, char_ngrams=None)], [1.0]),
    }
    label, c, model = grid_search(
        "LIAR", configs, [xt], yt, [xv], yv, (0.003, 0.01, 0.03),
        lambda y, p: accuracy(y, p, classes))
    test = accuracy(ys, model.scores([xs]), classes)
    majority = ys.count(max(classes, key=yt.count)) / len(ys)
    print(f"  [LIAR] majority-class test accuracy {majority:.4f}")
    return [("LIAR (6-class, text only)", "test accuracy", f"{test:.4f}", "0.270 (CNN)",
             timed_per_item(model, [[t] for t in xs]))]


def weibo21(root: Path, base: ModelSettings) -> list[tuple]:
    """Weibo21: fake vs real over 9 domains (无法确定 dropped), test macro-F1."""
    def read(split: str) -> list[dict]:
        with open(root / "weibo21" / f"{split}.jsonl", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        return [r for r in rows if r["category"] != "无法确定"]

    train, val, test = read("train"), read("val"), read("test")

    def fields(rows: list[dict]) -> list[list[str]]:
        # Second field: the domain name, as MDFEND also conditions on the domain.
        return [[r["content"] for r in rows], [r["category"] for r in rows]]

    domain = base.but(word_ngrams=None, char_ngrams=(1, 4), char_analyzer="char", min_df=1)
    configs = {
        "char_wb 1-3": ([base], [1.0]),
        "char_wb 1-4": ([base.but(char_ngrams=(1, 4))], [1.0]),
        "char 1-4 (no word boundaries)":
            ([base.but(char_ngrams=(1, 4), char_analyzer="char")], [1.0]),
        "char_wb 1-4 + signals": ([base.but(char_ngrams=(1, 4), signals=True)], [1.0]),
        "char_wb 1-3 + domain": ([base, domain], [1.0, 0.5]),
        "char_wb 1-4 + domain": ([base.but(char_ngrams=(1, 4)), domain], [1.0, 0.5]),
        "char 1-4 + domain":
            ([base.but(char_ngrams=(1, 4), char_analyzer="char"), domain], [1.0, 0.5]),
        "char_wb 1-3, no word n-grams": ([base.but(word_ngrams=None)], [1.0]),
        "char_wb 1-3 + words x0.3": ([base.but(word_weight=0.3)], [1.0]),
        "char_wb 1-3, no word n-grams + domain": ([base.but(word_ngrams=None), domain], [1.0, 0.5]),
        "char_wb 1-4, no word n-grams + domain":
            ([base.but(word_ngrams=None, char_ngrams=(1, 4)), domain], [1.0, 0.5]),
        # NB-SVM: columns scaled by |log-count ratio|^0.5 while training (folded into the
        # weights afterwards, so scoring is unchanged).
        "char 1-4, no word n-grams, NB-scaled":
            ([base.but(word_ngrams=None, char_ngrams=(1, 4), char_analyzer="char")], [1.0], 0.5),
        "char 1-5, no word n-grams, NB-scaled":
            ([base.but(word_ngrams=None, char_ngrams=(1, 5), char_analyzer="char")], [1.0], 0.5),
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


def clef(root: Path, base: ModelSettings) -> list[tuple]:
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
    words = base.but(char_ngrams=None, calibration="sigmoid")
    spk = base.but(char_ngrams=None, min_df=1)
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


def ced(root: Path, base: ModelSettings) -> list[tuple]:
    """CED: rumour vs non-rumour Weibo posts; stratified 80/20 split with seed 42."""
    with open(root / "ced_weibo" / "ced_original_labels.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    xtr, xs, ytr, ys = train_test_split(texts, labels, test_size=0.2, stratify=labels,
                                        random_state=42)
    # No official validation split: carve one out of the training 80 % the same way.
    xt, xv, yt, yv = train_test_split(xtr, ytr, test_size=0.2, stratify=ytr, random_state=42)
    configs = {
        "char_wb 1-3": ([base], [1.0]),
        "char_wb 1-4": ([base.but(char_ngrams=(1, 4))], [1.0]),
        "char 1-4": ([base.but(char_ngrams=(1, 4), char_analyzer="char")], [1.0]),
        "char_wb 1-3 + signals": ([base.but(signals=True)], [1.0]),
        "char_wb 1-4 + signals": ([base.but(char_ngrams=(1, 4), signals=True)], [1.0]),
        "char_wb 1-3, no word n-grams": ([base.but(word_ngrams=None)], [1.0]),
        "char_wb 1-3 + words x0.3": ([base.but(word_weight=0.3)], [1.0]),
        "char_wb 1-3, no word n-grams + signals":
            ([base.but(word_ngrams=None, signals=True)], [1.0]),
    }
    classes = sorted(set(labels))
    label, c, _ = grid_search("CED", configs, [xt], yt, [xv], yv, (0.3, 1.0, 3.0),
                              lambda y, p: accuracy(y, p, classes))
    model = fit(configs[label][0], [1.0], [xtr], ytr, [c])[c]  # refit on the whole 80 %
    test = accuracy(ys, model.scores([xs]), classes)
    return [("CED (Weibo rumours, 80/20 seed 42)", "test accuracy", f"{test:.4f}",
             "none published; TF-IDF+LR ≈ 0.88", timed_per_item(model, [[t] for t in xs]))]
