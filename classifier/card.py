"""The card of a model artifact: what it was trained on, how well, and with which libraries.

classifier.persistence writes the card into every artifact and checks it before loading
anything else: a model made under another scikit-learn version is refused.
"""

from __future__ import annotations

import platform
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import scipy
import sklearn
import skops

from classifier.data import TOPICS, LabelledData

FORMAT = "report-desk-triage"
FORMAT_VERSION = 1
RETRAIN = "retrain with `flask model train`"


class ModelLoadError(Exception):
    """A model artifact that must not be used; the message says what to do."""


def library_versions() -> dict[str, str]:
    """Return the versions that decide whether an artifact can be loaded here."""
    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def make_card(data: LabelledData, metrics: dict | None, **extra: object) -> dict:
    """Return the model card: training data identity, metrics and library versions."""
    card: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "training_data": {
            "sha256": data.sha256(),
            "n": len(data),
            "topic_counts": {t: data.topics.count(t) for t in TOPICS},
            "actionable_counts": {str(k): v for k, v in sorted(Counter(data.actionable).items())},
        },
        "metrics": metrics,
        "versions": library_versions(),
    }
    card.update(extra)
    return card


def check_card(card: dict) -> None:
    """Raise ModelLoadError unless the card is ours and made under this scikit-learn."""
    if card.get("format") != FORMAT:
        raise ModelLoadError(f"not a Report Desk triage model (format {card.get('format')!r})")
    made_with = (card.get("versions") or {}).get("sklearn")
    if made_with != sklearn.__version__:
        raise ModelLoadError(
            f"model was made with scikit-learn {made_with} but this server runs "
            f"{sklearn.__version__}; {RETRAIN} under this version (estimators are not "
            "guaranteed to load or predict the same across scikit-learn versions)"
        )
