"""Operational endpoints for load balancers and monitoring."""

import logging
import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from intake.core.extensions import db, limiter
from intake.core.models import utcnow
from intake.notifications.models import OutboxMessage
from intake.reports import evidence_storage
from intake.triage import scoring as triage

bp = Blueprint("system", __name__)
log = logging.getLogger(__name__)


def _model_version() -> str | None:
    # Which version this worker scores with: shows a promotion reaching every worker.
    if not current_app.config["SCORING_ENABLED"]:
        return None
    try:
        active = triage.active_model()
    except Exception:  # a health check must answer even when the model cannot load
        log.exception("active model lookup failed")
        return None
    return active.version if active else None


def _rate_limits() -> str:
    """Say where rate limits are counted: "ok" (shared store), "per-process", "unreachable"."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return "off"
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return "per-process"
    try:
        reachable = limiter.storage.check()
    except Exception:  # a health check must answer whatever the store does
        reachable = False
    if not reachable:
        log.error("rate-limit store %s unreachable: limits are per process until it answers",
                  limiter.storage.__class__.__name__)
    return "ok" if reachable else "unreachable"


def _mail() -> dict:
    """Say how mail is doing from the outbox alone: a health check never opens SMTP.

    "not configured" without MAIL_SERVER; else the backlog, "degraded" when a message is
    dead or the oldest waiting one is older than MAIL_HEALTH_MAX_WAIT_MINUTES.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return {"state": "not configured"}
    counts = dict(db.session.execute(
        db.select(OutboxMessage.status, db.func.count())
        .where(OutboxMessage.status.in_(("pending", "dead")))
        .group_by(OutboxMessage.status)).all())
    oldest = db.session.scalar(db.select(db.func.min(OutboxMessage.created_at))
                               .where(OutboxMessage.status == "pending"))
    minutes = round((utcnow() - oldest).total_seconds() / 60, 1) if oldest else None
    late = minutes is not None and minutes > current_app.config["MAIL_HEALTH_MAX_WAIT_MINUTES"]
    dead = counts.get("dead", 0)
    return {"state": "degraded" if dead or late else "ok", "waiting": counts.get("pending", 0),
            "dead": dead, "oldest_waiting_minutes": minutes}


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    # Degraded still answers 200: the service takes reports, so keep sending it traffic.
    rate_limits, mail = _rate_limits(), _mail()
    evidence = evidence_storage.state(current_app.config["UPLOAD_DIR"])
    degraded = (rate_limits == "unreachable" or mail["state"] == "degraded"
                or evidence != "ok")
    return jsonify({"status": "degraded" if degraded else "ok",
                    "database": "ok", "rate_limits": rate_limits, "evidence": evidence,
                    "mail": mail,
                    "model": _model_version(), "pid": os.getpid()})
