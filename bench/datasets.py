"""The project's own features and models on public datasets, with their official splits.

Train on train, choose settings on validation, report test once. Data is read in place
from --datasets (default ../shared/datasets next to the repository); never copied.

Run from the repository root:  .venv/bin/python -m bench.datasets [--only liar,ced]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

from classifier.card import library_versions
from classifier.features import ModelSettings

from .dataset_tasks import ced, clef, liar, weibo21

REPO = Path(__file__).resolve().parents[1]
BASE = ModelSettings(signals=False, calibration_folds=3)

BENCHES: dict[str, Callable[[Path, ModelSettings], list[tuple]]] = {
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
    base = BASE.but(estimator=args.estimator)  # every dataset's grid derives from it
    versions = " ".join(f"{k} {v}" for k, v in library_versions().items())
    print(f"machine: {platform.platform()} | {os.cpu_count()} CPUs | {versions}")
    results = []
    started = time.perf_counter()
    for name in args.only.split(","):
        t0 = time.perf_counter()
        print(f"\n== {name}", flush=True)
        results += BENCHES[name](args.datasets, base)
        print(f"  ({time.perf_counter() - t0:.0f} s)")
    print(f"\ntotal {time.perf_counter() - started:.0f} s\n")
    print("| dataset | metric | ours | published best | per-report scoring time |")
    print("|---|---|---|---|---|")
    for dataset, metric, ours, published, micros in results:
        print(f"| {dataset} | {metric} | {ours} | {published} | {micros:.0f} µs |")


if __name__ == "__main__":
    main()
