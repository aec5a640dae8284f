"""Debunks: publish and withdraw from the case page; the public pages, ClaimReview,
the Atom feed and the sitemap."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The staff debunk routes and the public debunk pages, feed and sitemap."""
    from intake.publishing import public_views, views

    for module in (public_views, views):
        app.register_blueprint(module.bp)
