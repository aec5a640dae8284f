"""Which case a report joins: signatures, the bilingual glossary, the case term index,
merge and split."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register: reports and cases call clustering; it has no pages or commands."""
