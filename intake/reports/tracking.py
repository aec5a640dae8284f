"""Tracking codes like RD-7K3M-9QX1: 7 random symbols and a check symbol.

The alphabet is Crockford's base 32 (no I, L, O, U), so codes read aloud or
copied by hand stay unambiguous; the last symbol is a Luhn mod 32 check, which
catches every single mistyped symbol and most swapped neighbours.
"""

import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Symbols people commonly type for the ones the alphabet leaves out.
_ALIASES = {"O": "0", "I": "1", "L": "1"}
PREFIX = "RD"


class CodeError(ValueError):
    """The text is not a well-formed tracking code."""


def _check_symbol(body: str) -> str:
    total, factor = 0, 2
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    """Return a fresh random tracking code."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    return format_code(body + _check_symbol(body))


def format_code(symbols: str) -> str:
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def parse_code(text: str) -> str:
    """Return the canonical form of a typed code, or raise CodeError saying what is wrong."""
    # NFKC: a Chinese keyboard's full-width ＲＤ－４５ＲＶ－ＹＥ７Ｅ is RD-45RV-YE7E.
    raw = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())
    if raw.startswith(PREFIX) and len(raw) == 10:
        raw = raw[2:]
    raw = "".join(_ALIASES.get(ch, ch) for ch in raw)
    if len(raw) != 8 or any(ch not in _VALUE for ch in raw):
        raise CodeError("format")
    if _check_symbol(raw[:7]) != raw[7]:
        raise CodeError("checksum")
    return format_code(raw)
