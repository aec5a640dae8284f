"""Who reported, as a keyed hash: lets case demand count distinct reporters, reveals no one."""

import hashlib
import hmac


def reporter_key(
    secret: str, *, email: str | None = None, phone: str | None = None,
    address: str | None = None,
) -> str | None:
    """Return a keyed hash of the reporter's contact (preferred) or network address.

    Views call this with what they know (contact only when the reporter agreed to be
    contacted); the same person through the same contact or address gets the same key.
    """
    if email:
        identity = "email:" + email.strip().lower()
    elif phone and (digits := "".join(ch for ch in phone if ch.isdigit())):
        identity = "phone:" + digits
    elif address:
        identity = "address:" + address
    else:
        return None
    # A key of its own, derived from SECRET_KEY: this hash never doubles as a signing key.
    key = hmac.new(secret.encode(), b"reporter-key", hashlib.sha256).digest()
    return hmac.new(key, identity.encode(), hashlib.sha256).hexdigest()[:32]
