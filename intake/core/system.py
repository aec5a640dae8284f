"""Operational endpoints for load balancers and monitoring."""

import logging
import os
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import literal
from sqlalchemy.exc import SQLAlchemyError

from intake.core.extensions import db, limiter

bp = Blueprint("system", __name__)
log = logging.getLogger(__name__)
HEALTH = "intake.health_parts"  # app.extensions key: {name: check}


def add_health_part(app: Flask, name: str, check: Callable[[], tuple[object, bool]]) -> None:
    """Add `name` to /healthz: check() returns (what to show, whether it means degraded)."""
    app.extensions.setdefault(HEALTH, {})[name] = check


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
        # A SELECT the engine knows reads: on SQLite a textual one would begin a write
        # transaction and hold the write lock for the rest of the check.
        db.session.execute(db.select(literal(1)))
    except SQLAlchemyError as exc:
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    # Degraded still answers 200: the service takes reports, so keep sending it traffic.
    rate_limits = _rate_limits()
    body: dict[str, object] = {"database": "ok", "rate_limits": rate_limits, "pid": os.getpid()}
    degraded = rate_limits == "unreachable"
    for name, check in current_app.extensions.get(HEALTH, {}).items():
        body[name], bad = check()
        degraded = degraded or bad
    return jsonify({"status": "degraded" if degraded else "ok", **body})
