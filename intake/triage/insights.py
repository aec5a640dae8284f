"""What the admin model page shows: quality over versions and drift of the active model."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import case as when

from intake.core.extensions import db
from intake.core.models import Decision
from intake.triage.gate import METRICS, metric
from intake.triage.models import ModelActivation, ModelVersion

# A held-out score on fewer reports than this is noise: it is listed, never plotted.
MIN_CHART_REPORTS = 30


@dataclass(frozen=True)
class QualityPoint:
    """One version's measured quality (None where it was not measured) and how it was measured."""

    version: str
    created_at: datetime
    values: dict[str, float | None]
    kind: str = "held_out"  # "cross_validated" (on its training data) or "held_out"
    n: int | None = None  # reports it was measured on

    @property
    def too_few(self) -> bool:
        return self.kind == "held_out" and self.n is not None and self.n < MIN_CHART_REPORTS


def evaluation_kind(card: dict | None) -> str:
    """Return how a card's metrics were measured: "cross_validated" or "held_out"."""
    text = str((card or {}).get("evaluation") or "").lower()
    return "cross_validated" if "cross" in text else "held_out"


def evaluation_label(card: dict | None) -> str:
    """Return how a version was judged, in the reader's language."""
    n = ((card or {}).get("metrics") or {}).get("n")
    if not (card or {}).get("metrics"):
        return str(_l("not evaluated"))
    if evaluation_kind(card) == "cross_validated":
        return str(_l("cross-validated on its own training data (%(n)s reports)", n=n or "?"))
    return str(_l("held out: %(n)s decided reports it was not trained on", n=n or "?"))


@dataclass(frozen=True)
class TopicPrecision:
    """How often moderators confirmed the active model's topic since its promotion."""

    topic: str
    predicted: int
    confirmed: int

    @property
    def precision(self) -> float:
        return self.confirmed / self.predicted if self.predicted else 0.0


def quality_series() -> list[QualityPoint]:
    """Return held-out metrics of every version that has them, oldest first."""
    rows = db.session.scalars(db.select(ModelVersion).order_by(ModelVersion.id))
    points = []
    for row in rows:
        metrics = (row.card or {}).get("metrics")
        if metrics:
            points.append(QualityPoint(row.version, row.created_at,
                                       {key: metric(metrics, key) for key in METRICS},
                                       evaluation_kind(row.card), metrics.get("n")))
    return points


def drift(activation: ModelActivation) -> list[TopicPrecision]:
    """Return per-topic precision of the active version against decisions since it went live."""
    confirmed = db.func.sum(when((Decision.final_topic == Decision.model_topic, 1), else_=0))
    query = (
        db.select(Decision.model_topic, db.func.count(), confirmed)
        .where(Decision.current.is_(True), Decision.model_topic.is_not(None),
               Decision.model_version == activation.version.version,
               Decision.decided_at >= activation.activated_at)
        .group_by(Decision.model_topic)
        .order_by(Decision.model_topic)
    )
    return [TopicPrecision(topic, int(n), int(ok or 0))
            for topic, n, ok in db.session.execute(query)]
