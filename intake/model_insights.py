"""What the admin model page shows: quality over versions and drift of the active model."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as when

from .extensions import db
from .model_gate import METRICS, metric
from .models import Decision, ModelActivation, ModelVersion


@dataclass(frozen=True)
class QualityPoint:
    """One version's held-out quality (None where it was not measured)."""

    version: str
    created_at: datetime
    values: dict[str, float | None]


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
                                       {key: metric(metrics, key) for key in METRICS}))
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
