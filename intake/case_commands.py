"""`flask cases ...`: maintenance of the case queue."""

from flask.cli import AppGroup

cases_cli = AppGroup("cases", help="Maintain the case queue.")
