"""Operator call screen for the disinformation report hotline."""

from flask import Blueprint

bp = Blueprint("hotline", __name__, url_prefix="/staff")
