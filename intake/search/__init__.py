"""Staff search by tracking code, link, caller digits or claim words, and its index."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The staff search page."""
    from intake.search import views

    app.register_blueprint(views.bp)
