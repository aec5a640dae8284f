"""Trusted partners: API keys, authentication, the trust their reports lend a case.

A key is `rdp_` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored
(a fast hash is enough for a random key of that strength) with a short prefix that is not
secret and tells keys apart in lists and logs. Operations flush; the command or view commits.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.models import Report, utcnow
from intake.partners.models import Partner

KEY_PREFIX = "rdp_"
KEY_SHAPE = re.compile(r"^rdp_[A-Za-z0-9_-]{43}$")
MAX_NAME = 64
MAX_REASON = 500


class PartnerError(ValueError):
    """A partner command cannot be done; the message says why."""


class AuthError(ValueError):
    """The bearer key is malformed, unknown or revoked; the message says which."""

    def __init__(self, reason: str, message: str, partner: Partner | None = None) -> None:
        super().__init__(message)
        self.reason, self.partner = reason, partner


@dataclass(frozen=True)
class PartnerRow:
    """A partner as `flask partners list` shows it."""

    partner: Partner
    reports_sent: int


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def find_partner(name: str) -> Partner | None:
    return db.session.scalars(db.select(Partner).where(Partner.name == name)).first()


def _existing(name: str) -> Partner:
    partner = find_partner(name)
    if partner is None:
        raise PartnerError(f"No partner named {name!r}: see `flask partners list`.")
    return partner


def create_partner(name: str, actor: Actor) -> tuple[Partner, str]:
    """Add a partner; return it and its key, which exists nowhere else afterwards."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME or not name.isprintable():
        raise PartnerError(f"A partner name is 1 to {MAX_NAME} printable characters.")
    if find_partner(name) is not None:
        raise PartnerError(f"A partner named {name!r} exists already: pick another name.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    partner = Partner(name=name, key_prefix=key[:10], key_hash=key_hash(key), state="active",
                      created_at=utcnow())
    db.session.add(partner)
    db.session.flush()
    audit.record(actor, "partner.create", "partner", partner.id,
                 after={"name": name, "key_prefix": partner.key_prefix})
    return partner, key


def _change(name: str, actor: Actor, state: str, action: str, reason: str | None = None,
            allowed: tuple[str, ...] = ("active", "suspended")) -> Partner:
    partner = _existing(name)
    if partner.state not in allowed:
        raise PartnerError(f"Partner {name!r} is {partner.state}: nothing to change.")
    before = {"state": partner.state}
    partner.state = state
    if state == "revoked":
        partner.revoked_at = utcnow()
    partner.suspended_at = utcnow() if state == "suspended" else None
    partner.suspended_reason = reason if state == "suspended" else None
    after = {"state": state, **({"reason": reason} if reason else {})}
    audit.record(actor, action, "partner", partner.id, before=before, after=after)
    db.session.flush()
    return partner


def revoke_partner(name: str, actor: Actor) -> Partner:
    """Make the partner's key stop working for good; its reports stay."""
    return _change(name, actor, "revoked", "partner.revoke")


def suspend_partner(name: str, reason: str, actor: Actor) -> Partner:
    """Misuse: keep storing the partner's reports, marked, but rank them last."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise PartnerError(f"Say why in --reason (1 to {MAX_REASON} characters).")
    return _change(name, actor, "suspended", "partner.suspend", reason, allowed=("active",))


def lift_suspension(name: str, actor: Actor) -> Partner:
    """End a suspension: the partner's reports are trusted again."""
    return _change(name, actor, "active", "partner.lift", allowed=("suspended",))


def list_partners() -> list[PartnerRow]:
    """Every partner, by name, with how many reports it sent."""
    counts = dict(db.session.execute(
        db.select(Report.partner_id, func.count()).where(Report.partner_id.is_not(None))
        .group_by(Report.partner_id)).all())
    partners = db.session.scalars(db.select(Partner).order_by(Partner.name))
    return [PartnerRow(p, counts.get(p.id, 0)) for p in partners]


def authenticate(header: str) -> Partner:
    """Return the partner whose key an `Authorization: Bearer KEY` header carries.

    Raises AuthError for anything else: never falls back to the anonymous path.
    """
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise AuthError("malformed", "Send the partner key as `Authorization: Bearer KEY`.")
    if not KEY_SHAPE.match(key):
        raise AuthError("malformed", "This is not a partner key: it starts with rdp_ and "
                                     "has 47 characters.")
    digest = key_hash(key)
    partner = db.session.scalars(db.select(Partner).where(Partner.key_hash == digest)).first()
    if partner is None or not hmac.compare_digest(partner.key_hash, digest):
        raise AuthError("unknown", "This partner key is not valid.")
    if partner.state == "revoked":
        raise AuthError("revoked", "This partner key was revoked.", partner)
    return partner


def mark_used(partner: Partner, now: datetime | None = None) -> None:
    partner.last_used_at = now or utcnow()


def reports_of(partner: Partner, page: int, per_page: int) -> tuple[list[Report], int]:
    """One page of the partner's own reports, newest first, and how many it has in all."""
    mine = Report.partner_id == partner.id
    total = db.session.scalar(db.select(func.count()).select_from(Report).where(mine))
    rows = db.session.scalars(
        db.select(Report).where(mine).order_by(Report.received_at.desc(), Report.id.desc())
        .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total or 0
