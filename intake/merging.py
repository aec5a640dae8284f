"""Merge cases and move a report out of its case."""

from flask import Blueprint

bp = Blueprint("merging", __name__, url_prefix="/staff")
