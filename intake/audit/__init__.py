"""The append-only audit trail, and its events as sentences people read."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The `audit_text` helpers that turn trail events into sentences."""
    from intake.audit.text import init_audit_text

    init_audit_text(app)
