"""Scoring latency: the numpy fast path vs the sklearn Pipelines, one report and in batch.

Also the share of the fast path spent on the reasons (classifier.explain), and, with
--matching-cases N, claim matching (intake/matching/operations.py) against N stored cases of which
a third are decided, in a SQLite file: what one report costs end to end before its INSERT.

Run from the repository root:
    .venv/bin/python -m bench.scoring [--reports 2000 --batch 10000 --matching-cases 20000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable

import numpy as np

from classifier import LabelledData, TriageModel, load_starter_corpus, train_model
from classifier.card import library_versions
from classifier.explain import Explanation


def machine() -> str:
    """Return one line describing the machine and library versions."""
    versions = " ".join(f"{k} {v}" for k, v in library_versions().items())
    return f"{platform.platform()} | {os.cpu_count()} CPUs | {versions}"


def realistic_reports(data: LabelledData, n: int, seed: int = 0) -> list[str]:
    """Return n reports of ~100-500 characters stitched from same-language corpus rows."""
    rng = random.Random(seed)
    by_script: dict[bool, list[str]] = {True: [], False: []}
    for text in data.texts:
        by_script[any("\u4e00" <= c <= "\u9fff" for c in text)].append(text)
    out = []
    while len(out) < n:
        pool = by_script[rng.random() < 0.5]
        target = rng.randint(100, 500)
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(pool))
        out.append(" ".join(parts)[:target])
    return out


def latencies(fn: Callable[[object], object], texts: list) -> np.ndarray:
    """Return per-call wall times in microseconds."""
    times = np.empty(len(texts))
    for i, text in enumerate(texts):
        start = time.perf_counter_ns()
        fn(text)
        times[i] = (time.perf_counter_ns() - start) / 1000
    return times


def single_report_paths(model: TriageModel) -> dict[str, Callable[[str], object]]:
    """Return the ways of scoring one report that the bench compares."""

    def sklearn_proba_only(text: str) -> object:
        return (model.topic_pipeline.predict_proba([text]),
                model.actionable_pipeline.predict_proba([text]))

    bare = TriageModel(model.topic_pipeline, model.actionable_pipeline)
    bare.explainer = _NoReasons()  # type: ignore[assignment]
    return {
        "predict_one (numpy fast path, with explanation)": model.predict_one,
        "predict_one without the reasons (spans)": bare.predict_one,
        "predict([text]) (sklearn Pipelines, with explanation)": lambda t: model.predict([t]),
        "pipeline.predict_proba x2 (sklearn, no explanation)": sklearn_proba_only,
    }


class _NoReasons:
    """Stands in for the Explainer to time the fast path without the spans."""

    def explain(self, *_args: object) -> Explanation:
        return Explanation([], [])


def matching_latency(model: TriageModel, texts: list[str], cases: int) -> None:
    """Print claim matching and score + match latency against stored, partly decided cases."""
    import tempfile

    from sqlalchemy import text as sql

    from bench.clustering import _queries, fill
    from intake import create_app
    from intake.clustering import index as case_index
    from intake.clustering.operations import signature_of
    from intake.core.extensions import db
    from intake.core.schema import upgrade_schema
    from intake.matching import operations as claim_match

    tmp = tempfile.mkdtemp(prefix="bench-scoring-")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "SCHEMA_CHECK": False,
                      "SCORING_ENABLED": False}, instance_path=tmp)
    rng = random.Random(0)
    with app.app_context():
        upgrade_schema()
        samples = fill(cases, rng, list(load_starter_corpus().texts))
        db.session.execute(sql("UPDATE cases SET status = 'resolved', outcome = 'false', "
                               "decided_at = created_at WHERE id % 3 = 0"))
        db.session.commit()
        reports = _queries(samples, list(load_starter_corpus().texts), rng, len(texts))
        found = 0

        def match(report) -> object:
            return claim_match.find(report, signature_of(report))

        # At intake the signature and the index query are clustering's too (SharedLookup):
        # matching adds the link query (reports with a link) and picking the decided cases.
        shared = {id(r): case_index.SharedLookup(signature_of(r)) for r in reports}
        for lookup in shared.values():
            lookup.among(case_index.JOINABLE)

        def match_at_intake(report) -> object:
            lookup = shared[id(report)]
            return claim_match.find(report, lookup.signature, lookup)

        def score_and_match(pair) -> object:
            text, report = pair
            return model.predict_one(text), match(report)

        def score_and_match_at_intake(pair) -> object:
            text, report = pair
            return model.predict_one(text), match_at_intake(report)

        def one_lookup(report) -> object:
            return case_index.SharedLookup(shared[id(report)].signature).among(("resolved",))

        for report in reports[:50]:
            match(report)
        pairs = list(zip(texts, reports, strict=True))
        timed = {
            "index lookup for clustering and matching (one query)": (one_lookup, reports),
            "claim matching, own lookup (signature + link + index query)": (match, reports),
            "claim matching at intake (signature, index query shared)": (match_at_intake,
                                                                         reports),
            "predict_one + claim matching, own lookup": (score_and_match, pairs),
            "predict_one + claim matching at intake": (score_and_match_at_intake, pairs),
        }
        print(f"\n{cases} stored cases, {cases // 3} of them decided (SQLite)\n")
        print("| one report | p50 µs | p99 µs |\n|---|---|---|")
        for name, (fn, items) in timed.items():
            times = latencies(fn, items)  # type: ignore[arg-type]
            print(f"| {name} | {np.percentile(times, 50):.0f} | "
                  f"{np.percentile(times, 99):.0f} |")
        found = sum(match(r) is not None for r in reports)
        print(f"\n{found} of {len(reports)} reports matched a decided case")


def main() -> None:
    """Print single-report latency percentiles and batch throughput."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--matching-cases", type=int, default=0,
                        help="also time claim matching against this many stored cases")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    data = load_starter_corpus()
    started = time.perf_counter()
    model = train_model(data)
    print(f"trained on {len(data)} starter reports in {time.perf_counter() - started:.2f} s")
    texts = realistic_reports(data, args.reports)
    lengths = sorted(map(len, texts))
    print(f"{len(texts)} reports, length median {lengths[len(lengths) // 2]} chars "
          f"(min {lengths[0]}, max {lengths[-1]}); {args.repeats} passes over every path\n")

    paths = single_report_paths(model)
    for fn in paths.values():  # warm caches and lazy imports
        latencies(fn, texts[:50])
    runs: dict[str, list[np.ndarray]] = {name: [] for name in paths}
    for _ in range(args.repeats):
        for name, fn in paths.items():
            runs[name].append(latencies(fn, texts))
    fast = statistics.median(float(np.percentile(r, 50)) for r in runs[next(iter(paths))])
    print("| single report | p50 µs | p99 µs | mean µs | p50 vs fast |")
    print("|---|---|---|---|---|")
    for name, rs in runs.items():
        p50 = statistics.median(float(np.percentile(r, 50)) for r in rs)
        p99 = statistics.median(float(np.percentile(r, 99)) for r in rs)
        mean = statistics.median(float(r.mean()) for r in rs)
        print(f"| {name} | {p50:.0f} | {p99:.0f} | {mean:.0f} | {p50 / fast:.1f}x |")

    batch = realistic_reports(data, args.batch, seed=1)
    rates: dict[str, list[float]] = {"predict(batch) sklearn": [], "predict_one loop": []}
    for _ in range(args.repeats):
        started = time.perf_counter()
        model.predict(batch)
        rates["predict(batch) sklearn"].append(len(batch) / (time.perf_counter() - started))
        started = time.perf_counter()
        for text in batch:
            model.predict_one(text)
        rates["predict_one loop"].append(len(batch) / (time.perf_counter() - started))
    print(f"\n| {len(batch)} reports, with explanations | reports/s (median of "
          f"{args.repeats}) |\n|---|---|")
    for name, rs in rates.items():
        print(f"| {name} | {statistics.median(rs):,.0f} |")
    if args.matching_cases:
        matching_latency(model, texts, args.matching_cases)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
