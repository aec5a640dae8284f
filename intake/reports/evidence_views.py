"""Evidence thumbnails for the case page, to the staff of the case's desk only."""

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import gettext as _

from intake.cases import casework
from intake.reports import thumbnails
from intake.users.auth import role_required

bp = Blueprint("evidence", __name__, url_prefix="/staff")


@bp.get("/evidence/<int:attachment_id>/thumbnail")
@role_required(*casework.STAFF)
def thumbnail(attachment_id: int):
    """A small JPEG made by the server from an evidence image; never the reporter's bytes."""
    attachment = casework.attachment_or_abort(attachment_id)  # the desk rule of the case
    path = thumbnails.thumbnail(current_app.config["UPLOAD_DIR"], attachment.stored_name,
                                attachment.content_type)
    if path is None:
        message = _("This evidence file cannot be shown as a picture: download it instead.")
        return render_template("core/error.html", message=message, code=404), 404
    response = send_from_directory(path.parent, path.name, mimetype="image/jpeg", max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response

