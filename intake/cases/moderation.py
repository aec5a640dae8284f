"""Moderator queue pages: ranked desk queues, claim next, claim and release."""

from datetime import datetime, timedelta
from functools import lru_cache

from babel.dates import format_timedelta
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.cases import claims
from intake.cases import queue as cases
from intake.cases.decision_forms import OUTCOME_LABELS
from intake.core.extensions import db
from intake.core.models import CHANNELS, utcnow
from intake.core.routing import id_url
from intake.triage.scoring import TOPICS, topic_label
from intake.users.auth import local_path, role_required
from intake.users.models import User
from intake.users.permissions import desks_for

bp = Blueprint("moderation", __name__, url_prefix="/staff")
FLAGS = ("overdue", "unscored", "mine", "uncertain")
MAX_BULK, MAX_ID = 100, 2**31 - 1
LANGUAGES = ("zh", "en")


def _user() -> User:
    return current_user._get_current_object()


def _choice(args, name: str, allowed, message: str) -> str | None:
    value = args.get(name) or None
    if value is not None and value not in allowed:
        abort(400, message)
    return value


def _filters(user: User, args) -> tuple[cases.QueueFilter, tuple[str, ...]]:
    """Read the queue filters from the query string; 400 says what to fix, 403 another desk."""
    scope = desks_for(user)
    desk = _choice(args, "desk", TOPICS, _("Unknown desk: choose one from the list."))
    if desk and desk not in scope:
        abort(403)
    flags = {name: args.get(name) in ("1", "on", "true") for name in FLAGS}
    return cases.QueueFilter(
        desks=(desk,) if desk else scope,
        status=_choice(args, "status", cases.STATUS_CHOICES, _("Unknown status: choose one from "
                                                         "the list.")) or "active",
        band=_choice(args, "band", cases.BANDS, _("Unknown band: choose P1, P2, P3 or P4.")),
        channel=_choice(args, "channel", CHANNELS, _("Unknown channel: choose one from the list.")),
        language=_choice(args, "language", LANGUAGES,
                         _("Unknown language: choose 中文 or English.")),
        user_id=user.id, **flags,
    ), scope


@lru_cache(maxsize=4096)
def _duration(minutes: int, locale: str, template: str | None = None) -> str:
    """Return a rounded, localised duration; cached because a page shows many alike."""
    text = format_timedelta(timedelta(minutes=minutes), granularity="minute", locale=locale)
    return template % {"time": text} if template else text


def _row(row: cases.QueueRow, now: datetime, locale: str, texts: dict) -> dict:
    """Return what the template shows for one queue row, formatted for the UI language."""
    case = row.case
    running = case.sla_due_at is not None and case.status in cases.ACTIVE  # finished: no clock
    left = case.sla_due_at - now if running and case.sla_due_at is not None else None
    overdue = left is not None and left.total_seconds() < 0
    return {
        "id": case.id, "title": case.title or texts["untitled"], "url": texts["case_url"](case.id),
        "select": texts["select"] % {"id": case.id},
        "topic": topic_label(case.topic, locale[:2]) if case.topic else texts["unscored"],
        "band": case.band, "priority": case.priority, "reports": case.report_count,
        "channel": case.channel, "holder": row.holder, "mine": row.holder == texts["me"],
        "age": _duration(int((now - case.created_at).total_seconds() // 60), locale),
        "created": case.created_at.isoformat(timespec="minutes"),
        "overdue": overdue, "outcome": case.outcome, "merged_into": case.merged_into_id,
        "appealed": case.status == "appealed",
        # Claim matching: (case id, verdict, decided at) of an already-decided case it is like.
        "match": (case.match_case_id, case.match_outcome, case.match_decided_at)
        if case.match_case_id else None,
        "sla": None if left is None else _duration(
            int(abs(left).total_seconds() // 60), locale,
            texts["overdue" if overdue else "left"]),
    }


def _texts() -> dict:
    return {"untitled": _("(no claim text)"), "unscored": _("Unscored"),
            "overdue": _("Overdue by %(time)s"), "left": _("%(time)s left"),
            "me": current_user.username, "select": _("Select case %(id)s"),
            "case_url": id_url("casework.case", "case_id")}


@bp.get("/queue")
@role_required("moderator", "admin")
def queue():
    return render_queue(request.args, request.full_path if request.query_string
                        else request.path)


def render_queue(args, here: str, bulk: dict | None = None, status: int = 200):
    """Render the queue filtered by args; bulk re-shows a refused bulk decision as typed."""
    user, now, locale = _user(), utcnow(), str(get_locale())
    filters, scope = _filters(user, args)
    try:
        page = cases.queue_page(filters, after=args.get("after") or None, now=now,
                                limit=current_app.config["QUEUE_PAGE_SIZE"])
    except cases.CursorError:
        abort(400, _("This page link is not valid: go back to the first page of the queue."))
    counts = cases.queue_counts(filters, scope, now=now, cap=current_app.config["QUEUE_COUNT_CAP"])
    shown = {k: v for k, v in args.items() if k not in ("after", "ticked") and v}
    ticked = {int(v) for v in (args.get("ticked") or "").split(",")
              if v.isascii() and v.isdigit() and len(v) < 12}
    bulk = bulk or {"case_ids": ticked}
    texts, closed = _texts(), filters.status in cases.CLOSED_CHOICES
    return render_template(
        "cases/queue.html", queue_here=here, bulk_form=bulk, paged=bool(args.get("after")),
        rows=[_row(r, now, locale, texts) for r in page.rows], counts=counts,
        filters=filters, args=shown, next_cursor=page.next_cursor,
        desks=[(key, topic_label(key, locale[:2])) for key in scope], channels=CHANNELS,
        languages=LANGUAGES, bands=cases.BANDS, statuses=cases.STATUS_CHOICES,
        closed=closed, outcomes=OUTCOME_LABELS,
        claim_url=None if closed else id_url("moderation.claim", "case_id", stay=1),
    ), status


def _back() -> str:
    return local_path(request.form.get("next")) or url_for("moderation.queue")


def _after_claim(result: claims.ClaimResult):
    """Send the moderator to the case they hold, or back to the queue saying why not."""
    if result.reason == "missing":
        abort(404)
    if result.reason == "forbidden":
        abort(403)
    if result.ok:
        flash(_("You hold case %(id)d for %(n)d minutes.", id=result.case_id,
                n=current_app.config["CLAIM_MINUTES"]), "success")
        if request.args.get("stay"):  # claimed from its queue row: stay on the queue
            return redirect(f"{_back()}#case-{result.case_id}", code=303)
        return redirect(url_for("casework.case", case_id=result.case_id), code=303)
    messages = {
        "taken": _("%(name)s claimed case %(id)s first; pick another one.",
                   name=result.holder or "?", id=result.case_id),
        "closed": _("Case %(id)s is already decided or merged.", id=result.case_id),
        "empty": _("Nothing left to claim on your desks."),
        "own_decision": _own_decision(result.case_id),
    }
    flash(messages[result.reason], "error")
    return redirect(_back(), code=303)


@bp.post("/queue/claim-next")
@role_required("moderator", "admin")
def claim_next():
    result = claims.claim_next(_user(), ip=request.remote_addr)
    db.session.commit()
    return _after_claim(result)


@bp.post("/cases/<int:case_id>/claim")
@role_required("moderator", "admin")
def claim(case_id: int):
    result = claims.claim(case_id, _user(), ip=request.remote_addr)
    db.session.commit()
    return _after_claim(result)


@bp.post("/queue/claim-selected")
@role_required("moderator", "admin")
def claim_selected():
    raw = request.form.getlist("case_id")
    ids = [int(v) for v in raw if v.isascii() and v.isdigit() and int(v) <= MAX_ID][:MAX_BULK]
    if not ids:
        flash(_("Select at least one case to claim: tick the boxes in the first column."),
              "error")
        return redirect(_back(), code=303)
    results = []
    for case_id in dict.fromkeys(ids):  # each case on its own; one held by another stays theirs
        results.append(claims.claim(case_id, _user(), ip=request.remote_addr))
        db.session.commit()  # one case a transaction: two bulk claimers never deadlock
    held = [r.case_id for r in results if r.ok]
    flash(_("You hold %(n)d of the %(total)d selected cases for %(minutes)d minutes.",
            n=len(held), total=len(results), minutes=current_app.config["CLAIM_MINUTES"]),
          "success" if held else "error")
    for r in results:
        if not r.ok:
            flash(_claim_problem(r), "error")
    # Keep the claimed cases ticked so they can be decided together next.
    back = _back()
    ticked = ",".join(map(str, held))
    return redirect(f"{back}{'&' if '?' in back else '?'}ticked={ticked}#bulk-decide"
                    if held else back, code=303)


def _own_decision(case_id: int | None) -> str:
    return _("Case %(id)s is an appeal against your own decision: another moderator or an "
             "admin decides it.", id=case_id)


def _claim_problem(result: claims.ClaimResult) -> str:
    if result.reason == "own_decision":
        return _own_decision(result.case_id)
    if result.reason == "taken":
        return _("%(name)s claimed case %(id)s first; pick another one.",
                 name=result.holder or "?", id=result.case_id)
    if result.reason == "closed":
        return _("Case %(id)s is already decided or merged.", id=result.case_id)
    if result.reason == "forbidden":
        return _("Case %(id)d belongs to a desk you are not on.", id=result.case_id)
    return _("There is no case number %(id)s: check the number.", id=result.case_id)


@bp.post("/cases/<int:case_id>/release")
@role_required("moderator", "admin")
def release(case_id: int):
    result = claims.release(case_id, _user(), ip=request.remote_addr)
    db.session.commit()
    if result.reason == "missing":
        abort(404)
    if result.reason == "forbidden":
        abort(403)
    if result.ok:
        flash(_("Case %(id)d is back in the queue.", id=case_id), "success")
    else:
        flash(_("You do not hold case %(id)d, so you cannot release it.", id=case_id), "error")
    return redirect(_back(), code=303)

