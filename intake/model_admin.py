"""Admin pages for model versions, cards, gate verdicts and drift."""

from flask import Blueprint

bp = Blueprint("model_admin", __name__, url_prefix="/staff")
