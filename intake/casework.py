"""Case page: reports, evidence, model reasons, history; decide, bulk decide, reopen."""

from flask import Blueprint

bp = Blueprint("casework", __name__, url_prefix="/staff")
