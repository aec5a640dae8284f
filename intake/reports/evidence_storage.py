"""Is this host's evidence folder the one every host writes to?

With more than one host, UPLOAD_DIR must be one shared folder. The newest evidence files the
database knows must all be in it; when some are not, this host cannot show them to staff.
"""

import logging
from pathlib import Path

from intake.core.extensions import db
from intake.core.models import Attachment

SAMPLE = 5  # the newest files checked: a few stat calls, cheap enough for every health check
log = logging.getLogger(__name__)


def missing_files(directory: str) -> tuple[int, int]:
    """Return (missing, checked) over the newest evidence files the database names."""
    names = db.session.scalars(db.select(Attachment.stored_name)
                               .order_by(Attachment.id.desc()).limit(SAMPLE)).all()
    return sum(not Path(directory, name).is_file() for name in names), len(names)


def state(directory: str) -> str:
    """"ok", or "missing N of M" when this host's folder lacks recent evidence."""
    missing, checked = missing_files(directory)
    return f"missing {missing} of {checked}" if missing else "ok"


def warn_if_not_shared(directory: str) -> None:
    """Log loudly at start when this host's UPLOAD_DIR lacks the newest evidence files."""
    missing, checked = missing_files(directory)
    if missing:
        log.error(
            "%d of the %d newest evidence files are not in UPLOAD_DIR (%s): staff on this host "
            "will get 404 for them. With more than one host, every host must mount the same "
            "shared UPLOAD_DIR; /healthz reports \"degraded\" until it does.",
            missing, checked, directory)
