"""Appeals: a reporter asks for a decided case to be decided again; another moderator
upholds or reverses it."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The appeal form and the appeal decisions."""
    from intake.appeals import views

    app.register_blueprint(views.bp)
