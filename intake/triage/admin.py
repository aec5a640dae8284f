"""Admin pages for model versions, cards, gate verdicts and drift."""

import logging

from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

from intake.triage import insights as model_insights
from intake.triage import registry as model_registry
from intake.triage import scoring
from intake.triage.gate import METRICS, metric
from intake.triage.scoring import topic_label
from intake.users.auth import role_required

bp = Blueprint("model_admin", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)

CHART = {"width": 640, "height": 220, "pad": 32}


def _chart(points: list[model_insights.QualityPoint]) -> dict:
    """Return SVG coordinates for one polyline per metric (y: 0 at the bottom, 1 at the top)."""
    width, height, pad = CHART["width"], CHART["height"], CHART["pad"]
    skipped = [p for p in points if p.too_few]
    points = [p for p in points if not p.too_few]
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    lines = {}
    for key in METRICS:
        dots = [(round(pad + i * step, 1), round(pad + (1 - value) * (height - 2 * pad), 1),
                 p.version, value, p.kind)
                for i, p in enumerate(points) if (value := p.values[key]) is not None]
        lines[key] = {"dots": dots, "points": " ".join(f"{x},{y}" for x, y, *_rest in dots)}
    grid = [(round(pad + (1 - g) * (height - 2 * pad), 1), g) for g in (0.0, 0.5, 1.0)]
    return {**CHART, "lines": lines, "points": points, "skipped": skipped,
            "min_reports": model_insights.MIN_CHART_REPORTS, "grid": grid}


@bp.get("/models")
@role_required("admin")
def models():
    active = model_registry.active()
    language = get_locale().language
    drift = [(topic_label(d.topic, language), d) for d in model_insights.drift(active)] \
        if active else []
    return render_template(
        "triage/models.html", versions=model_registry.versions(), active=active,
        history=list(reversed(model_registry.activations()))[:20], drift=drift,
        chart=_chart(model_insights.quality_series()), metrics=list(METRICS), metric=metric,
        evaluation_label=model_insights.evaluation_label,
    )


def model_health() -> tuple[str | None, bool]:
    """Which version this worker scores with (for /healthz): shows a promotion reaching
    every worker. Never degraded: without a model reports wait unscored."""
    if not current_app.config["SCORING_ENABLED"]:
        return None, False
    try:
        active = scoring.active_model()
    except Exception:  # a health check must answer even when the model cannot load
        log.exception("active model lookup failed")
        return None, False
    return (active.version if active else None), False
