"""Operational endpoints for load balancers and monitoring."""

import logging
import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import triage
from .extensions import db

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


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return jsonify({"status": "error", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "database": "ok", "model": _model_version(),
                    "pid": os.getpid()})
