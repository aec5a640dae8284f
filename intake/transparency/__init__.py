"""Transparency figures per month for the staff page, the public page and
`flask reports transparency`."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The transparency pages; `flask reports transparency` joins hotline's `reports` group."""
    from intake.transparency import commands, views  # noqa: F401  (commands: on import)

    app.register_blueprint(views.bp)
