"""Remove evidence files that no report owns: left behind by a worker killed mid-upload."""

import logging
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app

from intake.core.extensions import db
from intake.core.models import Attachment

log = logging.getLogger(__name__)
_BATCH = 500  # names per IN (...) query


def sweep_orphans(directory: str, older_than: timedelta) -> list[str]:
    """Delete files older than older_than that no attachment names; return their names."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    # Only old files: a report being sent right now has written its files, not yet its rows.
    cutoff = time.time() - older_than.total_seconds()
    old = [p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime < cutoff]
    names = [p.name for p in old]
    owned: set[str] = set()
    for start in range(0, len(names), _BATCH):
        owned.update(db.session.scalars(db.select(Attachment.stored_name).where(
            Attachment.stored_name.in_(names[start:start + _BATCH]))))
    removed = []
    for path in old:
        if path.name not in owned:
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return sorted(removed)


def sweep_uploads() -> None:
    """Delete evidence files no report owns, older than an hour (a killed upload's leftovers)."""
    removed = sweep_orphans(current_app.config["UPLOAD_DIR"], timedelta(hours=1))
    log.info("removed %d evidence file(s) no report owns", len(removed))
