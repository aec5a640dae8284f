"""Claim matching: a new report about an already-decided case shows that verdict,
moves P(actionable), and the moderator may apply it in one action."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The apply-the-verdict routes of the case page."""
    from intake.matching import views

    app.register_blueprint(views.bp)
