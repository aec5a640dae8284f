"""Moderator queue pages: ranked desk queues, claim next, claim and release."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/staff")
