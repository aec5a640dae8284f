"""Which case a report joins: signatures, the bilingual glossary, the case term index,
merge and split."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register: reports and cases call clustering; it has no pages or commands."""


def warm_up() -> None:
    """Build the n-gram weights from the starter corpus (seconds) before the first report."""
    from intake.clustering.signatures import signature

    signature("warm up", min_chars=0)
