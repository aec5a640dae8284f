"""Staff login, logout and landing page; role checks and session limits for every staff page."""

import time
from collections.abc import Callable
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from intake.core.clock import format_local
from intake.core.extensions import db, limiter, login_manager
from intake.users import signin
from intake.users.forms import LoginForm
from intake.users.models import ROLES, User

bp = Blueprint("auth", __name__, url_prefix="/staff")
SINCE, SEEN = "staff_since", "staff_seen"  # session keys: login time, last request


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    # A password reset or deactivation bumps the version and ends every older session.
    return signin.load_session_user(session_id)


@login_manager.unauthorized_handler
def unauthorized():
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")), code=303)


def role_required(*roles: str) -> Callable:
    """Let through signed-in staff with one of the roles (any role when none is given)."""
    allowed = roles or ROLES

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def local_path(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None: never an open redirect."""
    # Browsers drop tabs and newlines and read "\\" as "/", so "/\t/evil.example" would leave.
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or not target.isprintable()):
        return None
    return target


@bp.before_app_request
def _enforce_session_limits():
    if "_user_id" not in session:
        return None
    now, config = time.time(), current_app.config
    lifetime = config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    idle = config["STAFF_IDLE_MINUTES"] * 60
    since, seen = session.get(SINCE, 0), session.get(SEEN, 0)
    if now - since <= lifetime and now - seen <= idle:
        session[SEEN] = now
        return None
    reason = "idle" if now - since <= lifetime else "expired"
    if current_user.is_authenticated:
        signin.log_out(current_user._get_current_object(), reason=reason,
                      ip=request.remote_addr)
        db.session.commit()
    _end_session()
    if request.path.startswith("/staff/") and request.endpoint != "auth.login":
        return redirect(url_for("auth.login", next=local_path(request.full_path.rstrip("?")),
                                reason=reason), code=303)
    return None


def _end_session() -> None:
    logout_user()
    session.pop(SINCE, None)
    session.pop(SEEN, None)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form, target = LoginForm(), local_path(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target or landing(current_user))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("users/login.html", form=form, reason=request.args.get("reason"),
                               next=target), status
    result = signin.authenticate(form.username.data or "", form.password.data or "",
                                 ip=request.remote_addr)
    db.session.commit()  # a failure is recorded too: it counts towards the block
    if result.user is None:
        form.password.errors = [_blocked_message(result) if result.blocked_until
                                else _("The username or password is not right.")]
        return render_template("users/login.html", form=form, next=target), 400
    login_user(result.user)
    session.permanent = True
    session[SINCE] = session[SEEN] = time.time()
    return redirect(target or landing(result.user), code=303)


# Where each role starts its day: the page it works from, not a page about itself.
LANDINGS = {"moderator": "moderation.queue", "operator": "hotline.call_screen",
            "admin": "oversight.dashboard"}


def landing(user: User) -> str:
    """Return the address of the page the user's role works from."""
    return url_for(LANDINGS[user.role])


def _blocked_message(result: signin.LoginResult) -> str:
    return _("Too many failed sign-ins with this name from your address: try again after "
             "%(time)s.", time=format_local(result.blocked_until, zone=True))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        signin.log_out(current_user._get_current_object(), ip=request.remote_addr)
        db.session.commit()
    _end_session()
    return redirect(url_for("auth.login"), code=303)


@bp.get("/")
@role_required()
def home():
    """Send staff to their role's working page (the staff home is where each role starts)."""
    return redirect(landing(current_user), code=303)
