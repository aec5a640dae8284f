"""The only module that imports classifier/: model registry glue, scoring and priority."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import current_app

import classifier
from intake.cases import priority
from intake.cases import stats as case_stats
from intake.core.extensions import db
from intake.core.models import OPEN_STATUSES, Case, Report, utcnow
from intake.matching import formula as match_formula
from intake.misuse import trust as misuse
from intake.triage.models import ModelActivation, ModelVersion

log = logging.getLogger(__name__)

# Desks are the topics; the rest of the app reads the taxonomy from here, not classifier/.
TOPICS: tuple[str, ...] = classifier.TOPICS


def topic_label(topic: str, language: str) -> str:
    """Return a topic's display label in the language ("zh" or "en"), or the key if unknown."""
    return classifier.topic_label(topic, language) if topic in TOPICS else topic


@dataclass
class ActiveModel:
    """The model this worker scores with, and the registry version it came from."""

    version: str
    model: classifier.TriageModel


@dataclass
class _Cache:
    # One per app: each gunicorn worker loads the artifact once and re-checks cheaply.
    lock: threading.Lock = field(default_factory=threading.Lock)
    version_id: int | None = None
    active: ActiveModel | None = None
    checked_at: float = float("-inf")


def _cache() -> _Cache:
    return current_app.extensions.setdefault("triage_cache", _Cache())


def active_model(*, fresh: bool = False) -> ActiveModel | None:
    """Return the active model, asking the database at most every MODEL_CHECK_SECONDS."""
    cache, now = _cache(), time.monotonic()
    if not fresh and now - cache.checked_at < current_app.config["MODEL_CHECK_SECONDS"]:
        return cache.active
    with cache.lock:
        version_id = db.session.scalar(
            db.select(ModelActivation.version_id).order_by(ModelActivation.id.desc()).limit(1)
        )
        if version_id != cache.version_id:
            cache.active = _load(version_id) if version_id else None
            cache.version_id = version_id
        cache.checked_at = now
    return cache.active


def _load(version_id: int) -> ActiveModel | None:
    row = db.session.get_one(ModelVersion, version_id)
    try:
        model, _card = classifier.load_model(row.artifact, expected_sha256=row.sha256)
    except classifier.ModelLoadError:
        # Reports stay unscored and visible; the log says how to fix the model.
        log.exception("cannot load model %s; reports stay unscored", row.version)
        return None
    log.info("loaded model %s", row.version)
    return ActiveModel(row.version, model)


def reference_texts() -> list[str]:
    """Return the bundled starter corpus texts (clustering takes its IDF from them)."""
    return list(classifier.load_starter_corpus().texts)


def report_text(report: Report) -> str:
    """Return the text the model reads for a report."""
    parts = [report.claim, report.explanation or "", *(u.url for u in report.urls)]
    return "\n".join(p for p in parts if p)


def _apply(report: Report, prediction: classifier.Prediction, version: str) -> None:
    match = (report.reasons or {}).get("match")  # a rescore keeps a decided case's verdict
    report.topic = prediction.topic
    report.p_actionable = prediction.p_actionable
    # Spans of the report's own text (classifier.explain), not internal feature names.
    report.reasons = {
        "topic_probabilities": prediction.topic_probabilities,
        "spans": prediction.reasons,
    }
    match_formula.apply_to_report(report, match)
    report.model_version = version
    report.scoring_status = "scored"
    report.scored_at = utcnow()


def refresh_with(report: Report) -> None:
    """Refresh the report's case; a scored report keeps the priority its case has now."""
    refresh_case(report.case)
    if report.scoring_status == "scored":
        report.priority = report.case.priority
        report.priority_components = report.case.priority_components


def refresh_case(case: Case, *, counted: bool = False) -> None:
    """Recompute a case's demand, queue fields, desk, priority, band and SLA due time.

    counted: only time has passed since the case was last refreshed (see case_stats).
    """
    # Counters or aggregate queries (case_stats), never every report of a large case.
    stats = case_stats.collect(case, counted=counted)
    config, now = current_app.config, utcnow()
    case.report_count, case.reporter_count = stats.report_count, stats.reporter_count
    case.last_report_at = stats.last_report_at
    if stats.first is not None:
        case.title = (stats.first.claim or "")[:200] or None
        case.language = stats.first.language
    trust = config["CHANNEL_TRUST"]
    case.channel = max(stats.channels, key=lambda c: trust.get(c, 0), default=case.channel)
    case.p_actionable, case.model_version = stats.p_actionable, stats.model_version
    case.topic_counts = dict(stats.topics)
    if not stats.topics and not case.desk_topic:
        return  # nothing scored yet: the case waits in the unscored queue
    # A moderator's move outranks the model: re-ranking must not send the case back.
    case.topic = case.desk_topic or stats.topics.most_common(1)[0][0]
    item = priority.PriorityInput(
        p_actionable=stats.p_actionable or 0.0,
        topic=case.topic,
        text=" ".join(stats.texts),
        channel=case.channel,
        report_count=max(1, stats.report_count),
        reports_last_24h=max(1, stats.reports_last_24h),
        reporter_count=max(1, stats.reporter_count),
        waiting_hours=(now - case.created_at).total_seconds() / 3600,
        urgent=bool(case.urgent),
        trust=misuse.case_trust(case),
    )
    case.priority, case.priority_components, case.band = priority.score(item, config)
    start = case.created_at
    if case.status == "appealed" and case.appealed_at:  # ranked as an appeal, due from it
        start = case.appealed_at
        case.priority, case.priority_components, case.band = priority.with_appeal(
            case.priority_components, (now - start).total_seconds() / 3600, case.urgent, config)
    case.sla_due_at = priority.due_at(start, case.band, config)


def score_new(report: Report) -> bool:
    """Score a report that is about to be stored; on any failure leave it unscored."""
    try:
        active = active_model()
        if active is None:
            return False
        # Not ranked yet: it has no case until it is placed, and placing it ranks that
        # case (clustering.join calls refresh_with).
        _apply(report, active.model.predict_one(report_text(report)), active.version)
        return True
    except Exception:
        # No model or a broken one must never cost a report: it waits for `model rescore`.
        log.exception("scoring failed for %s; it stays unscored", report.tracking_code)
        for name in ("topic", "p_actionable", "reasons", "model_version", "scored_at",
                     "priority", "priority_components"):
            setattr(report, name, None)
        report.scoring_status = "unscored"
        return False


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def rescore_batches(
    *, only_unscored: bool = True, batch_size: int = 500, open_only: bool = False,
) -> Iterator[int]:
    """Score reports in batches with the active model, yielding each batch's size, flushed.

    The caller commits after each batch (the command's loop), so a long rescore never holds
    the write lock for the whole run and a crash keeps the batches already done.
    """
    active = active_model(fresh=True)
    if active is None:
        raise LookupError("no usable active model: train one with `flask model train`")
    query = rescore_query(only_unscored=only_unscored, open_only=open_only)
    ids = list(db.session.scalars(query))
    for chunk in _batches(ids, batch_size):
        reports = list(db.session.scalars(db.select(Report).where(Report.id.in_(chunk))))
        predictions = active.model.predict([report_text(r) for r in reports])
        for report, prediction in zip(reports, predictions, strict=True):
            _apply(report, prediction, active.version)
            refresh_with(report)
        db.session.flush()
        yield len(reports)


def rescore_query(*, only_unscored: bool, open_only: bool = False):
    """Return the select of report ids `rescore` works through."""
    query = db.select(Report.id).order_by(Report.id)
    if only_unscored:
        query = query.where(Report.scoring_status == "unscored")
    if open_only:  # re-rank the live queue after a promotion, not the archive
        query = query.join(Case).where(Case.status.in_(OPEN_STATUSES))
    return query


def train_and_register(
    data: classifier.LabelledData, *, created_by: str | None, activate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ModelVersion:
    """Measure held-out quality, fit on all data, store the artifact and optionally activate it."""
    if progress:
        progress(f"cross-validating on {len(data)} labelled reports (held-out folds)")
    metrics = classifier.cross_validate(data, folds=5, random_state=0, progress=progress)
    if progress:
        progress("fitting the model on all labelled reports")
    model = classifier.train_model(data, random_state=0, progress=progress)
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    card = classifier.make_card(data, metrics, evaluation="5-fold cross-validation")
    blob = classifier.dump_model(model, card)
    sha = classifier.artifact_sha256(blob)
    row = ModelVersion(version=f"{stamp}-{sha[:8]}", created_by=created_by, sha256=sha,
                       size=len(blob), card=card, artifact=blob)
    db.session.add(row)
    if activate:
        db.session.add(ModelActivation(version=row, activated_by=created_by, note="trained"))
    db.session.flush()
    return row


def has_models() -> bool:
    """Return True when any model version is registered."""
    return db.session.scalar(db.select(ModelVersion.id).limit(1)) is not None


def unscored_count() -> int:
    """Return how many reports wait for scoring."""
    return db.session.scalar(
        db.select(db.func.count()).select_from(Report).where(Report.scoring_status == "unscored")
    ) or 0
