"""Audit events as sentences people read: who did what, and which fields changed how.

The trail stores machine values (`case.claim`, `claimed_by_id: 2`); pages show
"mona claimed the case" and "Claimed by: — → mona" in the reader's language.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row

from intake.audit import trail as audit
from intake.core.clock import format_local
from intake.core.extensions import db
from intake.core.labels import label
from intake.triage.scoring import topic_label
from intake.users.models import User

SENTENCES = {
    "case.claim": _l("%(who)s claimed the case"),
    "case.release": _l("%(who)s released the case"),
    "case.claim_expired": _l("The claim on the case ran out"),
    "case.decide": _l("%(who)s decided: %(outcome)s"),
    "case.reopen": _l("%(who)s reopened the case"),
    "case.move_desk": _l("%(who)s moved the case to another desk"),
    "case.merge": _l("%(who)s merged case %(source)s into case %(target)s"),
    "case.move_out": _l("%(who)s moved a report out into case %(new_case)s"),
    "case.apply_match": _l("%(who)s applied the verdict of case %(source)s: %(outcome)s"),
    "case.appeal": _l("A reporter appealed the decision"),
    "appeal.decide": _l("%(who)s decided the appeal: %(result)s"),
    "debunk.publish": _l("%(who)s published the debunk"),
    "debunk.unpublish": _l("%(who)s withdrew the debunk"),
    "partner.create": _l("%(who)s added a trusted partner"),
    "partner.revoke": _l("%(who)s revoked a partner's key"),
    "partner.suspend": _l("%(who)s suspended a partner"),
    "partner.lift": _l("%(who)s lifted a partner's suspension"),
    "reporter.suspend": _l("%(who)s suspended a reporter"),
    "reporter.lift": _l("%(who)s lifted a reporter's suspension"),
    "partner.auth_failed": _l("An API key was refused"),
    "report.hotline_call": _l("%(who)s logged a hotline call"),
    "report.hotline_import": _l("%(who)s imported a hotline call log"),
    "report.purge_contact": _l("%(who)s removed old contact details"),
    "report.stop_mail": _l("The reporter asked for no more mail"),
    "evidence.download": _l("%(who)s downloaded an evidence file"),
    "callback.done": _l("%(who)s called the caller back"),
    "queue.reprioritise": _l("%(who)s re-ranked the queue"),
    "outbox.retry": _l("%(who)s sent failed mail again"),
    "model.register": _l("%(who)s registered a model version"),
    "model.promote": _l("%(who)s made a model version active"),
    "model.rollback": _l("%(who)s rolled back to an earlier model version"),
    "model.export": _l("%(who)s exported a model version"),
    "model.import": _l("%(who)s imported a model version"),
    "model.rescore": _l("%(who)s rescored reports"),
    "user.create": _l("%(who)s created the account"),
    "user.set_role": _l("%(who)s changed the role"),
    "user.activate": _l("%(who)s reactivated the account"),
    "user.deactivate": _l("%(who)s deactivated the account"),
    "user.reset_password": _l("%(who)s reset the password"),
    "user.add_desk": _l("%(who)s added a desk"),
    "user.remove_desk": _l("%(who)s removed a desk"),
    "user.login": _l("%(who)s signed in"),
    "user.login_failed": _l("A sign-in failed"),
    "user.login_blocked": _l("Sign-in was blocked after repeated failures"),
    "user.login_unblocked": _l("%(who)s lifted a sign-in block"),
    "user.logout": _l("%(who)s signed out"),
    "user.session_expired": _l("The session of %(who)s ended"),
}

FIELDS = {
    "status": _l("Status"), "outcome": _l("Outcome"), "claimed_by": _l("Claimed by"),
    "claimed_by_id": _l("Claimed by"), "claimed_until": _l("Claimed until"),
    "public_note": _l("Public note"), "public_note_en": _l("Public note in English"),
    "internal_note": _l("Internal note"),
    "decided_by_id": _l("Decided by"), "decided_at": _l("Decided at"),
    "final_topic": _l("Final topic"), "model_topic": _l("Model's topic"),
    "bulk": _l("Decided in bulk"), "reason": _l("Reason"), "role": _l("Role"),
    "is_active": _l("Active"), "desks": _l("Desks"), "username": _l("Username"),
    "tracking_code": _l("Tracking code"), "call_id": _l("Call"), "caller": _l("Caller"),
    "urgent": _l("Urgent"), "consent": _l("Call back"), "language": _l("Language"),
    "report_id": _l("Report"), "case_id": _l("Case"), "name": _l("File name"),
    "contact_email": _l("Email address on file"), "cancelled": _l("Mail cancelled"),
    "reports": _l("Reports"), "callbacks_open": _l("Call-backs open"),
    "messages": _l("Messages"), "last_login_at": _l("Last sign-in"),
    "blocked_until": _l("Blocked until"), "similarity": _l("Similarity"),
    "active": _l("Active version"), "forced": _l("Past a failed gate"),
    "rolled_back": _l("Rolled back from"), "first": _l("First code"), "last": _l("Last code"),
    "address": _l("Address"), "lifted": _l("Blocks lifted"),
    "debunk_id": _l("Debunk"), "verdict": _l("Verdict"),
    "claim_reviewed": _l("Claim reviewed"), "sources": _l("Sources cited"),
    "published_at": _l("Published at"), "unpublished_at": _l("Withdrawn at"),
    "appeal_id": _l("Appeal"), "result": _l("Appeal result"), "priority": _l("Priority"),
    "band": _l("Band"), "state": _l("State"), "key_prefix": _l("Key prefix"),
    "path": _l("Address requested"), "topic": _l("Desk"), "sla_due_at": _l("Decide by"),
}
HIDDEN = {"updated_at", "session_version", "ids", "sha256", "size", "source_case_id", "slug"}
PARTNER_STATES = {"active": _l("in use"), "suspended": _l("suspended"),
                  "revoked": _l("revoked")}
APPEAL_RESULTS = {"upheld": _l("upheld"), "reversed": _l("reversed")}
REASONS = {"wrong password": _l("wrong password"), "unknown user": _l("unknown user"),
           "inactive": _l("account deactivated"), "blocked": _l("blocked"),
           "logout": _l("signed out"), "idle": _l("idle too long"),
           "expired": _l("session too old"), "case reopened": _l("case reopened"),
           "decision reversed on appeal": _l("decision reversed on appeal")}
TARGETS = {"case": _l("Case"), "user": _l("User"), "report": _l("Report"),
           "reports": _l("Reports"), "attachment": _l("Evidence file"),
           "model_version": _l("Model version"), "import": _l("Call-log import"),
           "queue": _l("Queue"), "outbox": _l("Outbox"), "partner": _l("Partner"),
           "reporter": _l("Reporter")}


@dataclass(frozen=True)
class Entry:
    """One audit event in words: the sentence and the changed fields (label, before, after)."""

    sentence: str
    changes: list[tuple[str, str | None, str]]
    target: str


def actor(name: str | None) -> str:
    """Return how an actor name reads: command-line actors and the public get words."""
    if not name or name == "anonymous":
        return _("someone not signed in")
    if name.startswith("cli:"):
        return _("%(name)s (command line)", name=name.removeprefix("cli:"))
    if name == "starter":
        return _("the starter setup")
    return name


def _when(value: object) -> str:
    when = value
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_local(when) if isinstance(when, datetime) else str(when)


# Stored field -> how a reader sees its value: (does the key match, show(key, value, names)).
_SHOWN: list[tuple[Callable[[str], bool], Callable[[str, Any, dict[int, str]], str]]] = [
    (lambda k: k in ("status", "outcome", "role"), lambda k, v, n: label(k, str(v))),
    (lambda k: k == "state", lambda k, v, n: str(PARTNER_STATES.get(v, v))),
    (lambda k: k == "verdict", lambda k, v, n: label("outcome", str(v))),
    (lambda k: k == "result", lambda k, v, n: str(APPEAL_RESULTS.get(v, v))),
    (lambda k: k.endswith("topic"), lambda k, v, n: topic_label(str(v), _language())),
    (lambda k: k == "desks",
     lambda k, v, n: ", ".join(topic_label(t, _language()) for t in v) or "—"),
    (lambda k: k.endswith("_by_id"), lambda k, v, n: n.get(v, f"#{v}")),
    (lambda k: k.endswith(("_at", "_until")), lambda k, v, n: _when(v)),
    (lambda k: k in ("case_id", "merged_into_id"), lambda k, v, n: f"#{v}"),
    (lambda k: k == "reason", lambda k, v, n: str(REASONS.get(v, v))),
]


def _language() -> str:
    return get_locale().language if get_locale() else "en"


def value_text(key: str, value: Any, names: dict[int, str]) -> str:
    """Return a stored field value as a reader sees it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    for matches, show in _SHOWN:
        if matches(key):
            return show(key, value, names)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _changes(event: audit.AuditEvent, names: dict[int, str]) -> list[tuple[str, str | None, str]]:
    before, after = event.before or {}, event.after or {}
    rows: list[tuple[str, str | None, str]] = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in HIDDEN or isinstance(after.get(key, before.get(key)), dict):
            continue
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            continue
        title = str(FIELDS.get(key, key.replace("_", " ")))
        if key not in before:
            rows.append((title, None, value_text(key, new, names)))
        else:
            rows.append((title, value_text(key, old, names), value_text(key, new, names)))
    return rows


def describe(event: audit.AuditEvent, names: dict[int, str]) -> Entry:
    """Return one event in words."""
    after = event.after or {}
    source = (after.get("source") or {}).get("case_id") or after.get("source_case_id")
    words = {"who": actor(event.actor_name),
             "outcome": label("outcome", after.get("outcome")),
             "result": APPEAL_RESULTS.get(after.get("result") or "", after.get("result")),
             "source": f"#{source}",
             "target": "#{}".format((after.get("target") or {}).get("case_id")),
             "new_case": "#{}".format((after.get("new_case") or {}).get("case_id"))}
    template = SENTENCES.get(event.action)
    sentence = str(template) % words if template else f"{words['who']}: {event.action}"
    kind = TARGETS.get(event.target_type, event.target_type)
    target = f"{kind} {event.target_id}" if event.target_id else str(kind)
    return Entry(sentence, _changes(event, names), target)


def describe_events(events: list[audit.AuditEvent]) -> list[tuple[audit.AuditEvent, Entry]]:
    """Return each event with its words; user ids in the records are read as names at once."""
    ids = {value for e in events for part in (e.before or {}, e.after or {})
           for key, value in part.items() if key.endswith("_by_id") and isinstance(value, int)}
    rows: Iterable[Row[int, str]] = db.session.execute(
        db.select(User.id, User.username).where(User.id.in_(ids))) \
        if ids else []
    names = {user_id: name for user_id, name in rows}
    return [(event, describe(event, names)) for event in events]


def init_audit_text(app) -> None:
    """Let templates put events into words."""
    app.jinja_env.globals["describe_events"] = describe_events
    app.jinja_env.globals["actor_label"] = actor
