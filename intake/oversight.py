"""Desk dashboard with SLA figures and the audit trail browser."""

from flask import Blueprint

bp = Blueprint("oversight", __name__, url_prefix="/staff")
