"""`flask hotline ...` and `flask reports ...`: call-log import and contact retention."""

from flask.cli import AppGroup

hotline_cli = AppGroup("hotline", help="Import hotline call logs.")
reports_cli = AppGroup("reports", help="Maintain stored reports.")
