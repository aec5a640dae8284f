"""Operational endpoints for load balancers and monitoring."""

import logging
import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import evidence_storage, triage
from .extensions import db, limiter

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


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    # Degraded still answers 200: the service takes reports, so keep sending it traffic.
    rate_limits = _rate_limits()
    evidence = evidence_storage.state(current_app.config["UPLOAD_DIR"])
    degraded = rate_limits == "unreachable" or evidence != "ok"
    return jsonify({"status": "degraded" if degraded else "ok",
                    "database": "ok", "rate_limits": rate_limits, "evidence": evidence,
                    "model": _model_version(), "pid": os.getpid()})
