"""Entry point for gunicorn and the `flask` command."""

from intake import create_app

app = create_app()
